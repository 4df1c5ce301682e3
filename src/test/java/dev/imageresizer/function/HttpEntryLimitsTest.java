package dev.imageresizer.function;

import static org.hamcrest.Matchers.containsString;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;

import dev.imageresizer.local.MinioNotifications;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.IntegrationTest;
import dev.imageresizer.support.KafkaSourceRequest;
import dev.imageresizer.support.LocalServersResource;
import dev.imageresizer.support.LogCapture;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** The HTTP entry point's own guards: the allow-list of CloudEvent sources and the request body limit. */
@QuarkusTest
@TestProfile(HttpEntryLimitsTest.AllowOneNamespace.class)
@WithTestResource(LocalServersResource.class)
class HttpEntryLimitsTest extends IntegrationTest {

    /** Only KafkaSources of the {@code media} namespace (the one {@link KafkaSourceRequest} sends from). */
    public static class AllowOneNamespace implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("resizer.http.allowed-sources", "/apis/v1/namespaces/media/kafkasources/*,/elsewhere/exactly");
        }
    }

    private static long offset = 70_000;

    @Test
    void anAllowedSourceIsProcessed() {
        ObjectState photo = upload(prefix + "ok.jpg", Images.fixture("photos/leuven.jpg"), "image/jpeg");

        KafkaSourceRequest.send(MinioNotifications.recordKey(IMAGES, photo.key()), MinioNotifications.event("s3:ObjectCreated:Put", photo, Instant.now()), offset++)
                .then().statusCode(200).body("stored[0].written", equalTo(3));
    }

    @Test
    void anotherSourceIs403AndLoggedAndNothingIsDone() {
        ObjectState photo = upload(prefix + "intruder.jpg", Images.fixture("photos/leuven.jpg"), "image/jpeg");
        long id = offset++;

        try (LogCapture log = new LogCapture()) {
            KafkaSourceRequest.request(MinioNotifications.recordKey(IMAGES, photo.key()), id, ResizeFunction.KAFKA_SOURCE_TYPE,
                    "/apis/v1/namespaces/other/kafkasources/minio-image-events#minio-events")
                    .body(MinioNotifications.event("s3:ObjectCreated:Put", photo, Instant.now())).post("/")
                    .then().statusCode(403).header("kne-reason", "forbidden").body(containsString("not allowed"));

            assertTrue(log.messages(Level.WARNING).stream().anyMatch(m -> m.contains("partition:0/offset:" + id) && m.contains("namespaces/other")),
                    log.messages(Level.WARNING).toString());
        }
        assertFalse(store.exists(PROCESSED, "small/" + photo.key()));
    }

    @Test
    void aForgedSourceOrIdCannotWriteLogLines() {
        ObjectState photo = upload(prefix + "forger.jpg", Images.fixture("photos/leuven.jpg"), "image/jpeg");
        // structured mode: the JSON body may carry line breaks and escape sequences that an HTTP header cannot
        String event = """
                {"specversion":"1.0","id":"x\\n2026-12-01 10:00:00,000 INFO  [dev.imageresizer] forged id","type":"%s",
                 "source":"/elsewhere/exactly\\r\\n2026-12-01 10:00:00,000 INFO  [dev.imageresizer] forged\\u001b[2J\\u202e","data_base64":"%s"}
                """.formatted(ResizeFunction.KAFKA_SOURCE_TYPE,
                Base64.getEncoder().encodeToString(MinioNotifications.event("s3:ObjectCreated:Put", photo, Instant.now())));

        try (LogCapture log = new LogCapture()) {
            given().contentType("application/cloudevents+json").body(event).post("/")
                    .then().statusCode(403).header("kne-reason", "forbidden").body(not(containsString("\n")));

            List<String> warnings = log.messages(Level.WARNING);
            assertTrue(warnings.stream().anyMatch(m -> m.contains("x\\u000A2026") && m.contains("/elsewhere/exactly\\u000D\\u000A2026")
                    && m.contains("\\u001B[2J\\u202E")), warnings.toString());
            assertTrue(log.messages().stream().noneMatch(m -> m.chars().anyMatch(c -> c < 0x20 || c == 0x202e)), log.messages().toString());
        }
        assertFalse(store.exists(PROCESSED, "small/" + photo.key()));
    }

    @Test
    void allowListEntriesMatchExactlyOrByPrefix() {
        List<String> list = List.of("/apis/v1/namespaces/media/kafkasources/*", "/elsewhere/exactly");
        assertTrue(ResizeFunction.allowed(list, "/apis/v1/namespaces/media/kafkasources/x#t"));
        assertTrue(ResizeFunction.allowed(list, "/elsewhere/exactly"));
        assertFalse(ResizeFunction.allowed(list, "/elsewhere/exactly/not"));
        assertFalse(ResizeFunction.allowed(list, "/apis/v1/namespaces/mediaX/kafkasources/x"));
        assertFalse(ResizeFunction.allowed(list, null));
        assertTrue(ResizeFunction.allowed(List.of(), "anything"));
    }

    @Test
    void aBodyOverTheLimitIs413BeforeItIsRead() {
        byte[] huge = new byte[300 * 1024];
        Arrays.fill(huge, (byte) ' ');
        byte[] notification = ("{\"Records\":[]}" + new String(huge, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);

        KafkaSourceRequest.send(IMAGES + "/x", notification, offset++).then().statusCode(413);
    }
}
