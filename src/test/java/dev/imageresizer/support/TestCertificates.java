package dev.imageresizer.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** A self-signed certificate for {@code localhost}, made by the JDK's keytool, as a private CA's server would have. */
public record TestCertificates(Path keystore, Path pem, String password) {

    /** Makes {@code server.p12} (key and certificate, PKCS12) and {@code ca.pem} (the certificate) in {@code dir}. */
    public static TestCertificates localhost(Path dir) throws IOException, InterruptedException {
        String password = "changeit";
        Path keystore = dir.resolve("server.p12");
        Path pem = dir.resolve("ca.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "s3", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", password, "-keypass", password);
        run(keytool, "-exportcert", "-rfc", "-alias", "s3", "-keystore", keystore.toString(), "-storepass", password, "-file", pem.toString());
        return new TestCertificates(keystore, pem, password);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
