package dev.imageresizer.pipeline;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.imageresizer.imaging.FaultyDecoder;
import dev.imageresizer.local.MinioNotifications;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.IntegrationTest;
import dev.imageresizer.support.KafkaSourceRequest;
import dev.imageresizer.support.LocalServersResource;
import dev.imageresizer.support.LogCapture;
import dev.imageresizer.support.Topic;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A decoder bug is the image's verdict, not a retry: with a PNG decoder that throws an unchecked exception installed,
 * both entry points refuse that image for good (422 over HTTP, the dead-letter topic from the consumer, a failure record
 * either way) and go on to the next image.
 */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class DecoderBugTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static AutoCloseable faultyDecoder;

    @BeforeAll
    static void installFaultyDecoder() {
        faultyDecoder = FaultyDecoder.install();
    }

    @AfterAll
    static void removeFaultyDecoder() throws Exception {
        faultyDecoder.close();
    }

    @Test
    void overHttpItIs422WithAFailureRecordAndTheNextImageIsResized() throws Exception {
        ObjectState buggy = upload(prefix + "buggy.png", FaultyDecoder.png(), "image/png");
        ObjectState good = upload(prefix + "good.jpg", Images.fixture("photos/rocket.jpg"), "image/jpeg");

        try (LogCapture log = new LogCapture()) {
            KafkaSourceRequest.send(MinioNotifications.recordKey(IMAGES, buggy.key()),
                    MinioNotifications.event("s3:ObjectCreated:Put", buggy, Instant.now()), 7001).then()
                    .statusCode(422)
                    .header("kne-reason", "corrupt")
                    .body(allOf(containsString("corrupt PNG"), containsString("ArithmeticException: " + FaultyDecoder.FAILURE)));
            String warning = log.messages(Level.WARNING).stream().filter(m -> m.contains(buggy.key())).findFirst().orElseThrow();
            assertTrue(warning.contains("rejected [corrupt]"), warning);
            assertFalse(log.anyThrown(), "a verdict is logged in one line, without a stack trace");
        }
        assertFailureRecord(buggy);

        KafkaSourceRequest.send(MinioNotifications.recordKey(IMAGES, good.key()),
                MinioNotifications.event("s3:ObjectCreated:Put", good, Instant.now()), 7002).then().statusCode(200);
        assertTrue(store.exists(PROCESSED, "thumb/" + good.key()));
        assertFalse(store.exists(PROCESSED, "thumb/" + buggy.key()));
    }

    @Test
    void fromTheTopicItIsDeadLetteredWithAFailureRecordAndTheNextImageIsResized() throws Exception {
        ObjectState buggy = upload(prefix + "buggy.png", FaultyDecoder.png(), "image/png");
        ObjectState good = upload(prefix + "good.jpg", Images.fixture("photos/rocket.jpg"), "image/jpeg");

        minioEvents.publish("s3:ObjectCreated:Put", buggy);
        minioEvents.publish("s3:ObjectCreated:Put", good);

        await().atMost(PATIENCE).until(() -> store.exists(PROCESSED, "thumb/" + good.key()));
        try (Topic dlq = new Topic(bootstrapServers, LocalServersResource.DLQ_TOPIC)) {
            ConsumerRecord<String, byte[]> dead = dlq.await(r -> (IMAGES + "/" + buggy.key()).equals(r.key()), PATIENCE);
            String reason = Topic.header(dead, "dead-letter-reason");
            assertTrue(reason.contains("corrupt PNG") && reason.contains(FaultyDecoder.FAILURE), reason);
            assertTrue(new String(dead.value(), StandardCharsets.UTF_8).contains(buggy.eTag()), "the original record is kept");
        }
        assertFailureRecord(buggy);
        assertFalse(store.exists(PROCESSED, "thumb/" + buggy.key()));
    }

    private void assertFailureRecord(ObjectState object) throws Exception {
        try (Topic failed = new Topic(bootstrapServers, LocalServersResource.FAILED_TOPIC)) {
            ConsumerRecord<String, byte[]> record = failed.await(r -> (IMAGES + "/" + object.key()).equals(r.key()), PATIENCE);
            JsonNode body = JSON.readTree(record.value());
            assertEquals("corrupt", body.get("reason").asText(), body.toString());
            assertEquals(1, failed.records().stream().filter(r -> (IMAGES + "/" + object.key()).equals(r.key())).count(),
                    "exactly one failure record");
        }
    }
}
