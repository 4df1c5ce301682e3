package dev.imageresizer.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A local S3 server: S3Proxy 4.1 ({@code org.gaul:s3proxy}) with its filesystem backend, so buckets are directories
 * under {@code dir/buckets} and objects are files you can open. Requests are signed with AWS Signature V2 or V4 like
 * MinIO's.
 */
public final class LocalS3 {

    private LocalS3() {
    }

    public static LocalServer start(Path dir, int port, String accessKey, String secretKey) throws IOException, InterruptedException {
        return start(dir, "s3proxy.endpoint=http://127.0.0.1:" + port, port, accessKey, secretKey);
    }

    /** The same server over https only, with the key and certificate in {@code keystore} (PKCS12). */
    public static LocalServer startTls(Path dir, int port, String accessKey, String secretKey, Path keystore, String password)
            throws IOException, InterruptedException {
        return start(dir, String.join("\n", "s3proxy.secure-endpoint=https://127.0.0.1:" + port,
                "s3proxy.keystore-path=" + keystore, "s3proxy.keystore-password=" + password), port, accessKey, secretKey);
    }

    private static LocalServer start(Path dir, String endpoint, int port, String accessKey, String secretKey) throws IOException, InterruptedException {
        String classpath = ServerClasspath.of(ServerClasspath.projectDir(), "s3proxy");
        Path buckets = dir.resolve("buckets");
        Files.createDirectories(buckets);
        Path properties = dir.resolve("s3proxy.properties");
        Files.writeString(properties, String.join("\n",
                endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + accessKey,
                "s3proxy.credential=" + secretKey,
                "jclouds.provider=filesystem-nio2",
                "jclouds.identity=" + accessKey,
                "jclouds.credential=" + secretKey,
                "jclouds.filesystem.basedir=" + buckets,
                ""));
        Path logback = dir.resolve("logback.xml");
        Files.writeString(logback, """
                <configuration>
                  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="WARN"><appender-ref ref="STDOUT"/></root>
                </configuration>
                """);
        return LocalServer.start("s3proxy", dir, classpath,
                List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-Dlogback.configurationFile=" + logback),
                "org.gaul.s3proxy.Main", List.of("--properties", properties.toString()), port, Duration.ofSeconds(60));
    }
}
