package dev.imageresizer.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.imageresizer.pipeline.ConfigCheck;
import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.imaging.TurboJpeg;
import dev.imageresizer.local.MinioNotifications;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.IntegrationTest;
import dev.imageresizer.support.Libheif;
import dev.imageresizer.support.LocalServersResource;
import dev.imageresizer.support.Topic;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The direct path: MinIO's records consumed from the real Kafka topic, renditions in the real S3 server. */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class ResizeFromKafkaTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Inject
    ResizerConfig config;

    private void awaitRendition(String key) {
        await().atMost(PATIENCE).until(() -> store.exists(PROCESSED, key));
    }

    @Test
    void anUploadBecomesRenditionsAndAnAnnouncement() throws Exception {
        ObjectState photo = upload(prefix + "elephants.jpg", Images.fixture("photos/elephants-1920.jpg"), "image/jpeg");

        minioEvents.publish("s3:ObjectCreated:Put", photo);

        try (Topic renditions = new Topic(bootstrapServers, LocalServersResource.RENDITIONS_TOPIC)) {
            ConsumerRecord<String, byte[]> announcement = renditions.await(r -> (IMAGES + "/" + photo.key()).equals(r.key()), PATIENCE);
            JsonNode body = JSON.readTree(announcement.value());
            assertEquals(3, body.get("written").asInt());
            assertEquals(List.of("large", "small", "thumb"), body.get("renditions").findValuesAsText("name"));
            assertEquals(TurboJpeg.probe(TurboJpeg.DEBIAN_JAR).name(), body.get("jpegCodec").asText(), "the codec in use is announced");
        }
        assertRendition("large/" + photo.key(), photo, "image/jpeg", 1280, 720);
        assertRendition("small/" + photo.key(), photo, "image/jpeg", 640, 360);
        assertRendition("thumb/" + photo.key(), photo, "image/jpeg", 150, 150);
    }

    @Test
    void anIphonePortraitInHeicBecomesUprightJpegRenditions() throws Exception {
        Libheif.require("ResizeFromKafkaTest.anIphonePortraitInHeicBecomesUprightJpegRenditions");
        // stored 400x600 with an irot that turns it upright and EXIF orientation 6 beside it, as an iPhone writes it
        ObjectState photo = upload(prefix + "IMG_0001.HEIC", Images.fixture("heif/coffee-irot-exif-6-600x400.heic"), "image/heic");

        minioEvents.publish("s3:ObjectCreated:Put", photo);

        try (Topic renditions = new Topic(bootstrapServers, LocalServersResource.RENDITIONS_TOPIC)) {
            ConsumerRecord<String, byte[]> announcement = renditions.await(r -> (IMAGES + "/" + photo.key()).equals(r.key()), PATIENCE);
            assertEquals(3, JSON.readTree(announcement.value()).get("written").asInt());
        }
        // renditions of an opaque HEIC are JPEG, never upscaled, turned upright exactly once
        BufferedImage large = assertRendition("large/" + photo.key() + ".jpg", photo, "image/jpeg", 600, 400);
        assertRendition("small/" + photo.key() + ".jpg", photo, "image/jpeg", 600, 400);
        assertRendition("thumb/" + photo.key() + ".jpg", photo, "image/jpeg", 150, 150);
        double psnr = Images.psnr(Images.decode(Images.fixture("photos/coffee.png")), large);
        assertTrue(psnr > 30, "the large rendition is " + psnr + " dB from the upright source");
    }

    @Test
    void anAvifWithAlphaBecomesPngRenditions() {
        Libheif.require("ResizeFromKafkaTest.anAvifWithAlphaBecomesPngRenditions");
        ObjectState avif = upload(prefix + "cat.avif", Images.fixture("heif/cat-alpha-ramp-451x300.avif"), "image/avif");

        minioEvents.publish("s3:ObjectCreated:Put", avif);

        awaitRendition("thumb/" + avif.key() + ".png");
        BufferedImage small = assertRendition("small/" + avif.key() + ".png", avif, "image/png", 451, 300);
        assertTrue(small.getColorModel().hasAlpha());
        assertTrue((small.getRGB(2, 150) >>> 24) < 16 && (small.getRGB(448, 150) >>> 24) > 240, "the alpha ramp is kept");
    }

    @Test
    void resizesOneRecordPerProcessorAtOnce() {
        assertEquals(Runtime.getRuntime().availableProcessors(), ConfigCheck.workers(config));
    }

    @Test
    void everyEventThatBringsNewBytesActs() {
        for (String event : List.of("s3:ObjectCreated:Post", "s3:ObjectCreated:Copy", "s3:ObjectCreated:CompleteMultipartUpload")) {
            ObjectState photo = upload(prefix + event.substring(event.lastIndexOf(':') + 1) + ".jpg", Images.fixture("photos/rocket.jpg"), "image/jpeg");

            minioEvents.publish(event, photo);

            awaitRendition("thumb/" + photo.key());
        }
    }

    @Test
    void keysWithFoldersSpacesUnicodeAndPlus() {
        List<String> names = List.of("deeper/path/rose.jpg", "gallery/Été 2025/Café+Crème (1) ü.jpg", "a b+c.jpg", "*star'quote!.jpg");
        List<ObjectState> photos = names.stream()
                .map(name -> upload(prefix + name, Images.fixture("photos/building.jpg"), "image/jpeg")).toList();

        photos.forEach(photo -> minioEvents.publish("s3:ObjectCreated:Put", photo));

        for (ObjectState photo : photos) {
            awaitRendition("thumb/" + photo.key());
            assertRendition("small/" + photo.key(), photo, "image/jpeg", 640, 442);
        }
    }

    @Test
    void eventsThatAskForNothingAreSkippedAndTheQueueMovesOn() {
        ObjectState tagged = upload(prefix + "tagged.jpg", Images.fixture("photos/rocket.jpg"), "image/jpeg");
        ObjectState next = upload(prefix + "next.jpg", Images.fixture("photos/rocket.jpg"), "image/jpeg");

        minioEvents.publish("s3:ObjectCreated:PutTagging", tagged);
        minioEvents.publish("s3:ObjectAccessed:Get", tagged);
        minioEvents.publish("s3:ObjectRemoved:Delete", tagged);
        minioEvents.publish("s3:ObjectCreated:Put", new ObjectState(PROCESSED, "small/" + prefix + "loop.jpg", "0123", 10, "image/jpeg"));
        minioEvents.publish("s3:ObjectCreated:Put", next);

        awaitRendition("thumb/" + next.key());
        assertFalse(store.exists(PROCESSED, "thumb/" + tagged.key()));
        assertFalse(store.exists(PROCESSED, "small/small/" + prefix + "loop.jpg"));
    }

    @Test
    void aCorruptImageIsDeadLetteredWithItsReasonAndTheNextImageIsResized() throws Exception {
        byte[] jpeg = Images.fixture("photos/dune.jpg");
        ObjectState corrupt = upload(prefix + "corrupt.jpg", java.util.Arrays.copyOf(jpeg, jpeg.length / 3), "image/jpeg");
        ObjectState good = upload(prefix + "good.jpg", Images.fixture("photos/rocket.jpg"), "image/jpeg");

        minioEvents.publish("s3:ObjectCreated:Put", corrupt);
        minioEvents.publish("s3:ObjectCreated:Put", good);

        awaitRendition("thumb/" + good.key());
        try (Topic dlq = new Topic(bootstrapServers, LocalServersResource.DLQ_TOPIC)) {
            ConsumerRecord<String, byte[]> dead = dlq.await(r -> (IMAGES + "/" + corrupt.key()).equals(r.key()), PATIENCE);
            String reason = Topic.header(dead, "dead-letter-reason");
            assertTrue(reason.contains("corrupt JPEG: truncated"), reason);
            assertEquals(LocalServersResource.EVENTS_TOPIC, Topic.header(dead, "dead-letter-topic"));
            assertTrue(new String(dead.value(), StandardCharsets.UTF_8).contains(corrupt.eTag()), "the original record is kept");
        }
        assertFalse(store.exists(PROCESSED, "thumb/" + corrupt.key()));
    }

    @Test
    void aRecordThatIsNoNotificationIsDeadLettered() {
        minioEvents.publishRaw(prefix + "garbage", "not a notification".getBytes(StandardCharsets.UTF_8));

        try (Topic dlq = new Topic(bootstrapServers, LocalServersResource.DLQ_TOPIC)) {
            ConsumerRecord<String, byte[]> dead = dlq.await(r -> (prefix + "garbage").equals(r.key()), PATIENCE);
            assertTrue(Topic.header(dead, "dead-letter-reason").contains("not JSON"));
        }
    }

    @Test
    void aRedeliveredEventIsAnnouncedAgainWithoutWork() throws Exception {
        ObjectState photo = upload(prefix + "twice.jpg", Images.fixture("photos/hubble-deep-field.jpg"), "image/jpeg");

        minioEvents.publish("s3:ObjectCreated:Put", photo);
        minioEvents.publish("s3:ObjectCreated:Put", photo);

        try (Topic renditions = new Topic(bootstrapServers, LocalServersResource.RENDITIONS_TOPIC)) {
            String key = IMAGES + "/" + photo.key();
            renditions.await(r -> key.equals(r.key()) && written(r) == 0, PATIENCE);
            List<Integer> announced = renditions.records().stream().filter(r -> key.equals(r.key())).map(ResizeFromKafkaTest::written).toList();
            assertEquals(List.of(3, 0), announced);
        }
    }

    @Test
    void anObjectStoreOutageDelaysTheEventButLosesNothing() throws Exception {
        ObjectState photo = upload(prefix + "outage.jpg", Images.fixture("photos/rocket.jpg"), "image/jpeg");
        LocalServersResource.stopS3();
        try {
            minioEvents.publish("s3:ObjectCreated:Put", photo);
            Thread.sleep(3000); // several retries fail meanwhile
        } finally {
            LocalServersResource.startS3();
        }

        awaitRendition("thumb/" + photo.key());
        try (Topic dlq = new Topic(bootstrapServers, LocalServersResource.DLQ_TOPIC)) {
            assertTrue(dlq.records().stream().noneMatch(r -> (IMAGES + "/" + photo.key()).equals(r.key())), "not dead-lettered");
        }
    }

    private static int written(ConsumerRecord<String, byte[]> record) {
        try {
            return JSON.readTree(record.value()).get("written").asInt();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
