package dev.imageresizer.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import dev.imageresizer.support.TestCertificates;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * TLS to the object store with a private CA, against a real TLS server (the JDK's HttpsServer) holding a self-signed
 * certificate for {@code localhost} made by keytool: trusted through {@code resizer.object-store.trust-store}, refused
 * without it, and refused for another host name; verification cannot be switched off.
 */
class ObjectStoreHttpClientTest {

    @TempDir
    static Path dir;
    private static HttpsServer server;
    private static Path pem;

    @BeforeAll
    static void startTlsServer() throws Exception {
        TestCertificates certificates = TestCertificates.localhost(dir);
        Path keystore = certificates.keystore();
        pem = certificates.pem();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, certificates.password().toCharArray());
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, certificates.password().toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            byte[] body = "<ListAllMyBucketsResult/>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void trustsTheConfiguredCa() throws IOException {
        try (Response response = get(ObjectStoreHttpClient.trusting(pem), "localhost")) {
            assertEquals(200, response.code());
        }
    }

    @Test
    void withoutItTheSelfSignedCertificateIsRefused() {
        assertThrows(SSLHandshakeException.class, () -> get(new OkHttpClient(), "localhost").close());
    }

    @Test
    void theHostNameIsStillVerified() {
        assertThrows(SSLPeerUnverifiedException.class, () -> get(ObjectStoreHttpClient.trusting(pem), "127.0.0.1").close());
    }

    @Test
    void aFileWithoutCertificatesIsAClearStartupError() throws IOException {
        Path empty = Files.writeString(dir.resolve("empty.pem"), "not a certificate\n");

        IllegalStateException error = assertThrows(IllegalStateException.class, () -> ObjectStoreHttpClient.trusting(empty));

        assertTrue(error.getMessage().contains("resizer.object-store.trust-store"), error.getMessage());
        assertTrue(error.getMessage().contains(empty.toString()), error.getMessage());
    }

    private static Response get(OkHttpClient client, String host) throws IOException {
        return client.newCall(new Request.Builder().url("https://" + host + ":" + server.getAddress().getPort() + "/").build()).execute();
    }
}
