package dev.imageresizer.function;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.imageresizer.local.MinioNotifications;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.KafkaSourceRequest;
import dev.imageresizer.support.LocalServersResource;
import dev.imageresizer.support.Store;
import dev.imageresizer.support.Topic;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Black-box scenarios over HTTP only, with the real Kafka and S3 processes and no access to the application's beans,
 * so that {@link ResizeFunctionIT} reruns them against the packaged application: the JVM jar in CI, the native
 * executable with {@code -Dnative}.
 */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class ResizeFunctionTest {

    private static long offset = 20_000;

    private MinioClient minio;
    private Store store;
    private String prefix;

    @BeforeEach
    void connect() {
        minio = LocalServersResource.servers().minio();
        store = new Store(minio);
        prefix = getClass().getSimpleName() + "/" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    private static Response send(ObjectState object) {
        return KafkaSourceRequest.send(MinioNotifications.recordKey(object.bucket(), object.key()),
                MinioNotifications.event("s3:ObjectCreated:Put", object, Instant.now()), offset++);
    }

    @Test
    void isReadyAndAlive() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void aKafkaSourceEventBecomesRenditionsAndAnAnnouncement() throws Exception {
        ObjectState photo = store.upload("images", prefix + "exif/Portrait_6.jpg", Images.fixture("exif-orientation/Portrait_6.jpg"), "image/jpeg");

        send(photo).then()
                .statusCode(200)
                .body("stored[0].renditions.key", equalTo(List.of("large/" + photo.key(), "small/" + photo.key(), "thumb/" + photo.key())))
                .body("stored[0].renditions.width", equalTo(List.of(853, 427, 150)))
                .body("stored[0].renditions.height", equalTo(List.of(1280, 640, 150)));

        BufferedImage small;
        try (InputStream in = minio.getObject(GetObjectArgs.builder().bucket("processed").object("small/" + photo.key()).build())) {
            small = Images.decode(in.readAllBytes());
        }
        assertEquals(427, small.getWidth());
        assertEquals(640, small.getHeight());
        try (Topic renditions = new Topic(LocalServersResource.bootstrapServers(), LocalServersResource.RENDITIONS_TOPIC)) {
            renditions.await(r -> ("images/" + photo.key()).equals(r.key()), Duration.ofSeconds(10));
        }
    }

    @Test
    void decodesEveryInputFormat() {
        List<ObjectState> originals = List.of(
                store.upload("images", prefix + "f.png", Images.fixture("pngsuite/png/basn6a16.png"), "image/png"),
                store.upload("images", prefix + "f.gif", Images.synthetic("gif", 200, 120, true), "image/gif"),
                store.upload("images", prefix + "f.bmp", Images.greyBmp(), "image/bmp"),
                store.upload("images", prefix + "f.tif", Images.lzwTiff(), "image/tiff"),
                store.upload("images", prefix + "f.jpg", Images.fixture("photos/elephants-1920.jpg"), "image/jpeg"));

        for (ObjectState original : originals) {
            send(original).then().statusCode(200).body("stored[0].written", equalTo(3));
        }
    }

    @Test
    void aCorruptImageIs422WithItsReason() throws Exception {
        ObjectState corrupt = store.upload("images", prefix + "xcsn0g01.png",
                Files.readAllBytes(Images.FIXTURES.resolve("pngsuite/png/xcsn0g01.png")), "image/png");

        send(corrupt).then().statusCode(422).header("kne-reason", "corrupt").body(containsString("CRC mismatch in chunk IDAT"));

        assertFalse(store.exists("processed", "thumb/" + corrupt.key()));
        try (Topic failures = new Topic(LocalServersResource.bootstrapServers(), LocalServersResource.FAILED_TOPIC)) {
            var record = failures.await(r -> ("images/" + corrupt.key()).equals(r.key()), Duration.ofSeconds(10));
            assertEquals("dev.imageresizer.renditions.failed", Topic.header(record, "ce_type"));
            assertTrue(new String(record.value(), StandardCharsets.UTF_8).contains("\"reason\":\"corrupt\""));
        }
    }

    @Test
    void anEventWithoutNewBytesIsAcknowledged() throws Exception {
        byte[] tagging = Files.readAllBytes(Images.FIXTURES.resolve("minio-events/06-put-tagging-metadata-only.json"));

        KafkaSourceRequest.send("images/rose.jpg", tagging, offset++).then()
                .statusCode(200)
                .body("ignored[0].reason", containsString("brings no new object content"));
    }

    @Test
    void aPayloadThatIsNoNotificationIs422() {
        KafkaSourceRequest.send("images/x", "{\"hello\":".getBytes(StandardCharsets.UTF_8), offset++).then()
                .statusCode(422).header("kne-reason", "badevent");
    }
}
