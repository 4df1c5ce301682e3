package dev.imageresizer.function;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.imageresizer.local.MinioNotifications;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.IntegrationTest;
import dev.imageresizer.support.KafkaSourceRequest;
import dev.imageresizer.support.LocalServersResource;
import dev.imageresizer.support.Topic;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The Knative path: CloudEvents exactly as a KafkaSource posts MinIO's records, against the real Kafka and S3. */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class ResizeOverHttpTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static long offset = 1000;

    private Response send(String eventName, ObjectState object) {
        return KafkaSourceRequest.send(MinioNotifications.recordKey(object.bucket(), object.key()),
                MinioNotifications.event(eventName, object, Instant.now()), offset++);
    }

    @Test
    void aKafkaSourceEventBecomesRenditionsAndAnAnnouncement() throws Exception {
        ObjectState photo = upload(prefix + "elephants.jpg", Images.fixture("photos/elephants-1920.jpg"), "image/jpeg");

        send("s3:ObjectCreated:Put", photo).then()
                .statusCode(200)
                .header("ce-type", "dev.imageresizer.resize.result")
                .body("stored", hasSize(1))
                .body("stored[0].source.key", equalTo(photo.key()))
                .body("stored[0].source.etag", equalTo(photo.eTag()))
                .body("stored[0].written", equalTo(3))
                .body("stored[0].renditions.name", equalTo(List.of("large", "small", "thumb")))
                .body("stored[0].renditions.key", equalTo(List.of("large/" + photo.key(), "small/" + photo.key(), "thumb/" + photo.key())))
                .body("stored[0].renditions.width", equalTo(List.of(1280, 640, 150)))
                .body("stored[0].renditions.height", equalTo(List.of(720, 360, 150)));

        assertRendition("large/" + photo.key(), photo, "image/jpeg", 1280, 720);
        assertRendition("small/" + photo.key(), photo, "image/jpeg", 640, 360);
        assertRendition("thumb/" + photo.key(), photo, "image/jpeg", 150, 150);

        try (Topic renditions = new Topic(bootstrapServers, LocalServersResource.RENDITIONS_TOPIC)) {
            ConsumerRecord<String, byte[]> announcement = renditions.await(r -> (IMAGES + "/" + photo.key()).equals(r.key()), Duration.ofSeconds(10));
            assertEquals("dev.imageresizer.renditions.stored", Topic.header(announcement, "ce_type"));
            assertEquals("1.0", Topic.header(announcement, "ce_specversion"));
            assertEquals(IMAGES + "/" + photo.key(), Topic.header(announcement, "ce_subject"));
            assertEquals("application/json", Topic.header(announcement, "content-type"));
            JsonNode body = JSON.readTree(announcement.value());
            assertEquals(photo.eTag(), body.at("/source/etag").asText());
            assertEquals(3, body.get("renditions").size());
            JsonNode large = body.get("renditions").get(0);
            assertEquals(PROCESSED, large.get("bucket").asText());
            assertEquals("large/" + photo.key(), large.get("key").asText());
            assertEquals(store.stat(PROCESSED, "large/" + photo.key()).orElseThrow().size(), large.get("bytes").asLong());
            assertEquals("image/jpeg", large.get("contentType").asText());
        }
    }

    @Test
    void structuredModeWorksToo() throws Exception {
        ObjectState photo = upload(prefix + "rocket.jpg", Images.fixture("photos/rocket.jpg"), "image/jpeg");
        JsonNode notification = JSON.readTree(MinioNotifications.event("s3:ObjectCreated:Put", photo, Instant.now()));
        String asData = JSON.createObjectNode()
                .put("specversion", "1.0").put("id", "partition:0/offset:7").put("type", "dev.knative.kafka.event")
                .put("source", "/apis/v1/namespaces/media/kafkasources/minio#minio-events").put("datacontenttype", "application/json")
                .set("data", notification).toString();
        String asBase64 = JSON.createObjectNode()
                .put("specversion", "1.0").put("id", "partition:0/offset:8").put("type", "dev.knative.kafka.event")
                .put("source", "/apis/v1/namespaces/media/kafkasources/minio#minio-events")
                .put("data_base64", Base64.getEncoder().encodeToString(notification.toString().getBytes(StandardCharsets.UTF_8))).toString();

        for (String event : List.of(asData, asBase64)) {
            io.restassured.RestAssured.given().contentType("application/cloudevents+json").body(event).post("/")
                    .then().statusCode(200) // the reply is a structured CloudEvent too
                    .body("type", equalTo("dev.imageresizer.resize.result"))
                    .body("data.stored[0].renditions.width", equalTo(List.of(640, 640, 150)));
        }
        assertRendition("small/" + photo.key(), photo, "image/jpeg", 640, 427);
    }

    @Test
    void aCorruptImageIs422WithAReasonAndLeavesNothing() {
        byte[] jpeg = Images.fixture("photos/dune.jpg");
        ObjectState broken = upload(prefix + "truncated.jpg", java.util.Arrays.copyOf(jpeg, jpeg.length / 3), "image/jpeg");

        send("s3:ObjectCreated:Put", broken).then()
                .statusCode(422)
                .header("kne-reason", "corrupt")
                .body(containsString("truncated"));

        assertFalse(store.exists(PROCESSED, "small/" + broken.key()));
    }

    @Test
    void whatIsNotAnImageIs422() {
        ObjectState text = upload(prefix + "notes.jpg", "just some text".getBytes(StandardCharsets.UTF_8), "image/jpeg");
        ObjectState psd = upload(prefix + "layers.psd", java.util.HexFormat.of().parseHex("38425053000100000000000000030000"), "image/vnd.adobe.photoshop");

        send("s3:ObjectCreated:Put", text).then().statusCode(422).header("kne-reason", "notanimage");
        send("s3:ObjectCreated:Put", psd).then().statusCode(422).header("kne-reason", "unsupported").body(containsString("PSD"));
    }

    @Test
    void aWebpBecomesJpegRenditions() {
        ObjectState webp = upload(prefix + "wings.webp", Images.fixture("photos/two-wings.webp"), "image/webp");

        send("s3:ObjectCreated:Put", webp).then().statusCode(200).body("stored[0].written", equalTo(3));
        assertRendition("thumb/" + webp.key() + ".jpg", webp, "image/jpeg", 150, 150);
    }

    @Test
    void anImageOverThePixelLimitIs422() {
        ObjectState bomb = upload(prefix + "bomb.png", Images.pngHeaderOnly(20_000, 20_000), "image/png");

        send("s3:ObjectCreated:Put", bomb).then().statusCode(422).header("kne-reason", "toolarge").body(containsString("megapixels"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "not json", "[]", "{\"hello\":\"world\"}" })
    void aPayloadThatIsNoNotificationIs422(String payload) {
        KafkaSourceRequest.send("images/x", payload.getBytes(StandardCharsets.UTF_8), offset++).then()
                .statusCode(422).header("kne-reason", "badevent");
    }

    @ParameterizedTest
    @ValueSource(strings = { "06-put-tagging-metadata-only.json", "07-removed-delete.json", "08-accessed-get.json", "09-extra-ilm-expiry-delete.json" })
    void eventsThatBringNoNewBytesAreAcknowledgedAndIgnored(String sample) throws Exception {
        byte[] payload = Files.readAllBytes(Images.FIXTURES.resolve("minio-events").resolve(sample));

        KafkaSourceRequest.send("images/rose.jpg", payload, offset++).then()
                .statusCode(200)
                .body("stored", hasSize(0))
                .body("ignored[0].reason", containsString("brings no new object content"));
    }

    @Test
    void anEventForTheProcessedBucketIsIgnored() {
        ObjectState rendition = new ObjectState(PROCESSED, "thumb/" + prefix + "a.jpg", "0123", 10, "image/jpeg");

        send("s3:ObjectCreated:Put", rendition).then()
                .statusCode(200)
                .body("ignored[0].reason", containsString("loop guard"));
    }

    @Test
    void anEventForAnotherBucketIsIgnored() {
        send("s3:ObjectCreated:Put", new ObjectState("photos", prefix + "a.jpg", "0123", 10, "image/jpeg")).then()
                .statusCode(200)
                .body("ignored[0].reason", containsString("not a source bucket"));
    }

    @Test
    void anObjectDeletedBeforeItsEventArrivesIsIgnored() {
        send("s3:ObjectCreated:Put", new ObjectState(IMAGES, prefix + "gone.jpg", "0123456789abcdef0123456789abcdef", 10, "image/jpeg")).then()
                .statusCode(200)
                .body("ignored[0].reason", equalTo("object no longer exists"));
    }

    @Test
    void anUnmappedCloudEventTypeIs404() {
        KafkaSourceRequest.request("images/x", offset++, "com.example.other").body("{}".getBytes(StandardCharsets.UTF_8)).post("/")
                .then().statusCode(404);
    }

    @Test
    void aRedeliveredEventDoesNoWorkAndRewritesNothing() throws Exception {
        ObjectState photo = upload(prefix + "leuven.jpg", Images.fixture("photos/leuven.jpg"), "image/jpeg");
        send("s3:ObjectCreated:Put", photo).then().statusCode(200).body("stored[0].written", equalTo(3));
        List<ZonedDateTime> written = DEFAULT_RENDITIONS.stream()
                .map(box -> store.stat(PROCESSED, box.name() + "/" + photo.key()).orElseThrow().lastModified()).toList();
        Thread.sleep(1100); // S3 times have one-second resolution

        send("s3:ObjectCreated:Put", photo).then().statusCode(200)
                .body("stored[0].written", equalTo(0))
                .body("stored[0].renditions.width", equalTo(List.of(751, 640, 150)));

        assertEquals(written, DEFAULT_RENDITIONS.stream()
                .map(box -> store.stat(PROCESSED, box.name() + "/" + photo.key()).orElseThrow().lastModified()).toList());
    }

    @Test
    void aNewVersionOfAnOriginalReplacesItsRenditions() {
        ObjectState first = upload(prefix + "replaced.jpg", Images.fixture("photos/rocket.jpg"), "image/jpeg");
        send("s3:ObjectCreated:Put", first).then().statusCode(200);
        ObjectState second = upload(prefix + "replaced.jpg", Images.fixture("photos/building.jpg"), "image/jpeg");

        send("s3:ObjectCreated:Put", second).then().statusCode(200).body("stored[0].written", equalTo(3));

        assertRendition("small/" + second.key(), second, "image/jpeg", 640, 442);
    }

    @Test
    void oneNotificationWithSeveralRecords() throws Exception {
        ObjectState a = upload(prefix + "a.jpg", Images.fixture("photos/baboon.jpg"), "image/jpeg");
        ObjectState b = upload(prefix + "b.png", Images.fixture("photos/chelsea-cat.png"), "image/png");
        var aws = JSON.createObjectNode();
        var records = aws.putArray("Records");
        for (ObjectState o : List.of(a, b)) {
            records.add(JSON.readTree(MinioNotifications.event("s3:ObjectCreated:Put", o, Instant.now())).get("Records").get(0));
        }

        KafkaSourceRequest.send(null, aws.toString().getBytes(StandardCharsets.UTF_8), offset++).then()
                .statusCode(200).body("stored", hasSize(2));

        assertRendition("thumb/" + a.key(), a, "image/jpeg", 150, 150);
        assertRendition("small/" + b.key(), b, "image/png", 451, 300); // smaller than the box: own size
    }

    @Test
    void aBadRecordDoesNotCostTheGoodOneBesideIt() throws Exception {
        ObjectState good = upload(prefix + "good.jpg", Images.fixture("photos/rocket.jpg"), "image/jpeg");
        ObjectState bad = upload(prefix + "bad.jpg", new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0, 1, 2 }, "image/jpeg");
        var aws = JSON.createObjectNode();
        var records = aws.putArray("Records");
        for (ObjectState o : List.of(bad, good)) {
            records.add(JSON.readTree(MinioNotifications.event("s3:ObjectCreated:Put", o, Instant.now())).get("Records").get(0));
        }

        KafkaSourceRequest.send(null, aws.toString().getBytes(StandardCharsets.UTF_8), offset++).then()
                .statusCode(422).header("kne-reason", "corrupt");

        assertRendition("small/" + good.key(), good, "image/jpeg", 640, 427);
    }

    @Test
    void otherFormatsBecomeWebFormatsUnderAKeyWithTheirExtension() {
        ObjectState bmp = upload(prefix + "dune.bmp", Images.greyBmp(), "image/bmp");
        ObjectState tiff = upload(prefix + "storm.tif", Images.lzwTiff(), "image/tiff");
        ObjectState gif = upload(prefix + "logo.gif", Images.synthetic("gif", 300, 200, true), "image/gif");
        ObjectState lying = upload(prefix + "really-a-png.jpg", Images.fixture("photos/coffee.png"), "image/jpeg");

        for (ObjectState o : List.of(bmp, tiff, gif, lying)) {
            send("s3:ObjectCreated:Put", o).then().statusCode(200);
        }

        assertRendition("small/" + bmp.key() + ".jpg", bmp, "image/jpeg", 640, 400);
        assertRendition("large/" + tiff.key() + ".jpg", tiff, "image/jpeg", 1280, 853);
        assertTrue(assertRendition("thumb/" + gif.key() + ".png", gif, "image/png", 150, 150).getColorModel().hasAlpha());
        assertRendition("small/" + lying.key(), lying, "image/png", 600, 400); // sniffed, not named: a PNG stays PNG
    }

    @Test
    void keysWithFoldersSpacesUnicodeAndPlus() {
        for (String name : List.of("deeper/path/rose.jpg", "gallery/Été 2025/Café+Crème (1) ü.jpg", "a b+c.jpg", "100%.jpg", "x&y=z?.jpg")) {
            ObjectState photo = upload(prefix + name, Images.fixture("photos/rocket.jpg"), "image/jpeg");

            send("s3:ObjectCreated:Put", photo).then().statusCode(200).body("stored[0].source.key", equalTo(photo.key()));

            assertRendition("small/" + photo.key(), photo, "image/jpeg", 640, 427);
        }
    }

    @Test
    void anUnreachableObjectStoreIs500AndTheRetrySucceeds() throws Exception {
        ObjectState photo = upload(prefix + "outage.jpg", Images.fixture("photos/rocket.jpg"), "image/jpeg");
        LocalServersResource.stopS3();
        try {
            send("s3:ObjectCreated:Put", photo).then().statusCode(500).body(containsString("object store unavailable"));
        } finally {
            LocalServersResource.startS3();
        }

        send("s3:ObjectCreated:Put", photo).then().statusCode(200).body("stored[0].written", equalTo(3));
    }

    @Test
    void anUnreachableBrokerIs500AndTheRetryOnlyAnnounces() throws Exception {
        ObjectState photo = upload(prefix + "broker-outage.jpg", Images.fixture("photos/rocket.jpg"), "image/jpeg");
        LocalServersResource.stopKafka();
        try {
            send("s3:ObjectCreated:Put", photo).then().statusCode(500).body(containsString("Kafka unavailable"));
        } finally {
            LocalServersResource.startKafka();
        }

        // retried as a KafkaSource would until the producer is reconnected; the renditions were stored before the
        // announcement failed, so the successful retry finds them current and only announces
        Response retried = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> send("s3:ObjectCreated:Put", photo), r -> r.statusCode() != 500);
        retried.then().statusCode(200).body("stored[0].written", equalTo(0));
        try (Topic renditions = new Topic(bootstrapServers, LocalServersResource.RENDITIONS_TOPIC)) {
            renditions.await(r -> (IMAGES + "/" + photo.key()).equals(r.key()), Duration.ofSeconds(10));
        }
    }
}
