package dev.imageresizer.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.imageresizer.local.MinioNotifications;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.PackagedApp;
import dev.imageresizer.support.Store;
import dev.imageresizer.support.TestCertificates;
import dev.imageresizer.support.TestServers;
import dev.imageresizer.support.Topic;
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
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private static TestServers servers;
    private static String bootstrap;
    private static MinioClient minio;
    private PackagedApp app;

    @BeforeAll
    static void startServers() throws Exception {
        servers = TestServers.builder().saslSsl(TestCertificates.localhost(dir)).user(USER, PASSWORD).start(dir);
        bootstrap = servers.bootstrap();
        minio = servers.minio();
    }

    @AfterAll
    static void stopServers() {
        if (servers != null) {
            servers.close();
        }
    }

    @AfterEach
    void stopApp() throws InterruptedException {
        if (app != null) {
            app.stop(Duration.ofSeconds(30));
        }
    }

    @Test
    void everyChannelWorksThroughSaslSslWithSettingsFromTheEnvironmentAlone() throws Exception {
        app = app(PASSWORD).start();
        Map<String, Object> client = servers.kafkaClient(USER, PASSWORD);
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
        assertFalse(app.logText().contains(PASSWORD), "the Kafka password appears in the application's log");
    }

    @Test
    void aWrongPasswordKeepsTheApplicationFromBeingReadyAndSaysWhy() throws Exception {
        app = app("not-the-password").launch();
        HttpClient http = HttpClient.newHttpClient();

        // give the consumer time to try: the default check (open connections) said UP here within seconds
        Thread.sleep(15_000);
        HttpResponse<String> ready = readiness(http, app.port());

        assertTrue(app.isAlive(), () -> "the application died: " + app.logText());
        assertEquals(503, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("bucket-events"), ready.body());
        String output = app.logText();
        assertTrue(output.contains("failed authentication due to: Authentication failed"), "the log says why: " + output);
        assertFalse(output.contains("not-the-password"), "the Kafka password appears in the application's log");
    }

    /** The packaged application with all its settings, Kafka's included, in its environment only. */
    private PackagedApp.Builder app(String password) {
        return PackagedApp.builder(dir.resolve("app-" + System.nanoTime() + ".log")).heap("256m")
                .config(servers.appConfig(USER, password)).config("resizer.consumer.enabled", "true").configInEnvironment();
    }

    private static HttpResponse<String> readiness(HttpClient http, int port) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
    }
}
