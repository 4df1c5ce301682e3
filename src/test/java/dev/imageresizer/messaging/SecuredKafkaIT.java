package dev.imageresizer.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.imageresizer.local.LocalKafka;
import dev.imageresizer.local.LocalS3;
import dev.imageresizer.local.LocalServer;
import dev.imageresizer.local.MinioNotifications;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.PackagedApp;
import dev.imageresizer.support.Store;
import dev.imageresizer.support.TestCertificates;
import dev.imageresizer.support.Topic;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;

/**
 * Kafka security passed through, as a user configures it: a broker whose only client listener is SASL_SSL with
 * SCRAM-SHA-512 users and a certificate from a private CA, and the packaged application given nothing but the
 * {@code KAFKA_*} environment variables docs/security.md names (what a Kubernetes Secret would hold). All three channels
 * (MinIO's events in, renditions and failures out) must work through it, the password must never be logged, and a
 * wrong password must keep the application from being ready rather than let it look healthy while it reads nothing.
 */
class SecuredKafkaIT {

    private static final String USER = "resizer";
    private static final String PASSWORD = "resizer-kafka-secret-7d1f";
    private static final String ACCESS_KEY = "secured";
    private static final String SECRET_KEY = "secured-s3-secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static TestCertificates certificates;
    private static LocalServer kafka;
    private static LocalServer s3;
    private static String bootstrap;
    private static int s3Port;
    private static MinioClient minio;
    private Process app;
    private Path log;

    @BeforeAll
    static void startServers() throws Exception {
        certificates = TestCertificates.localhost(dir);
        int port = LocalServer.freePort();
        LocalKafka.Listener listener = new LocalKafka.Listener("SASL_SSL", "localhost", List.of(
                "sasl.enabled.mechanisms=SCRAM-SHA-512",
                "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=" + jaas("admin", "admin-secret"),
                "ssl.keystore.type=PKCS12",
                "ssl.keystore.location=" + certificates.keystore(),
                "ssl.keystore.password=" + certificates.password(),
                "ssl.key.password=" + certificates.password(),
                // the broker is its own client on the inter-broker listener
                "ssl.truststore.type=PEM",
                "ssl.truststore.location=" + certificates.pem()),
                // SCRAM users are stored in the cluster metadata; a new KRaft cluster gets them when it is formatted
                List.of("--add-scram", "SCRAM-SHA-512=[name=admin,password=admin-secret]",
                        "--add-scram", "SCRAM-SHA-512=[name=" + USER + ",password=" + PASSWORD + "]"),
                client("admin", "admin-secret"));
        kafka = LocalKafka.start(dir.resolve("kafka"), port, LocalServer.freePort(), listener);
        bootstrap = listener.bootstrapServers(port);
        LocalKafka.createTopics(bootstrap, client("admin", "admin-secret"), 1,
                "minio-events", "image-renditions", "image-renditions-failed", "minio-events-dlq");
        s3Port = LocalServer.freePort();
        s3 = LocalS3.start(dir.resolve("s3"), s3Port, ACCESS_KEY, SECRET_KEY);
        minio = MinioClient.builder().endpoint("http://127.0.0.1:" + s3Port).credentials(ACCESS_KEY, SECRET_KEY).build();
        minio.makeBucket(MakeBucketArgs.builder().bucket("images").build());
    }

    @AfterAll
    static void stopServers() throws Exception {
        if (minio != null) {
            minio.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @AfterEach
    void stopApp() throws InterruptedException {
        if (app != null) {
            app.destroy();
            if (!app.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                app.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void everyChannelWorksThroughSaslSslWithSettingsFromTheEnvironmentAlone() throws Exception {
        int httpPort = startApp(PASSWORD);
        PackagedApp.awaitReady(HttpClient.newHttpClient(), httpPort, app, log);
        Map<String, Object> client = client(USER, PASSWORD);
        ObjectState photo = new Store(minio).upload("images", "secured/photo.jpg", Images.fixture("photos/leuven.jpg"), "image/jpeg");
        ObjectState text = new Store(minio).upload("images", "secured/notes.jpg", "not an image".getBytes(), "image/jpeg");

        try (MinioNotifications events = new MinioNotifications(bootstrap, "minio-events", client);
                Topic renditions = new Topic(bootstrap, "image-renditions", client);
                Topic failures = new Topic(bootstrap, "image-renditions-failed", client)) {
            events.publish("s3:ObjectCreated:Put", photo);
            events.publish("s3:ObjectCreated:Put", text);

            JsonNode announced = JSON.readTree(renditions.await(r -> "images/secured/photo.jpg".equals(r.key()), Duration.ofSeconds(60)).value());
            assertEquals(3, announced.get("written").asInt(), announced.toString());
            JsonNode failed = JSON.readTree(failures.await(r -> "images/secured/notes.jpg".equals(r.key()), Duration.ofSeconds(60)).value());
            assertEquals("notanimage", failed.get("reason").asText(), failed.toString());
        }
        for (String rendition : List.of("large", "small", "thumb")) {
            assertTrue(new Store(minio).exists("processed", rendition + "/secured/photo.jpg"), rendition);
        }
        assertFalse(PackagedApp.read(log).contains(PASSWORD), "the Kafka password appears in the application's log");
    }

    @Test
    void aWrongPasswordKeepsTheApplicationFromBeingReadyAndSaysWhy() throws Exception {
        int httpPort = startApp("not-the-password");
        HttpClient http = HttpClient.newHttpClient();

        // give the consumer time to try: the default check (open connections) said UP here within seconds
        Thread.sleep(15_000);
        HttpResponse<String> ready = readiness(http, httpPort);

        assertTrue(app.isAlive(), () -> "the application died: " + PackagedApp.read(log));
        assertEquals(503, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("bucket-events"), ready.body());
        String output = PackagedApp.read(log);
        assertTrue(output.contains("failed authentication due to: Authentication failed"), "the log says why: " + output);
        assertFalse(output.contains("not-the-password"), "the Kafka password appears in the application's log");
    }

    /** Starts the packaged application with the Kafka settings in its environment only; returns its HTTP port. */
    private int startApp(String password) throws IOException {
        int httpPort = LocalServer.freePort();
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        assertTrue(Files.exists(jar), "run with verify, so the application is packaged first");
        log = dir.resolve("app-" + System.nanoTime() + ".log");
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        env.put("QUARKUS_MINIO_HOST", "127.0.0.1");
        env.put("QUARKUS_MINIO_PORT", Integer.toString(s3Port));
        env.put("QUARKUS_MINIO_SECURE", "false");
        env.put("QUARKUS_MINIO_ACCESS_KEY", ACCESS_KEY);
        env.put("QUARKUS_MINIO_SECRET_KEY", SECRET_KEY);
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        env.put("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
        env.put("KAFKA_SASL_JAAS_CONFIG", jaas(USER, password));
        env.put("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");
        env.put("KAFKA_SSL_TRUSTSTORE_LOCATION", certificates.pem().toString());
        env.put("RESIZER_CONSUMER_ENABLED", "true");
        app = builder.start();
        return httpPort;
    }

    private static HttpResponse<String> readiness(HttpClient http, int port) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /** What a client of the secured listener needs: SASL_SSL, SCRAM-SHA-512 and the private CA. */
    private static Map<String, Object> client(String user, String password) {
        Map<String, Object> client = new HashMap<>();
        client.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        client.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
        client.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(user, password));
        client.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        client.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, certificates.pem().toString());
        return client;
    }
}
