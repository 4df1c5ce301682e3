package dev.imageresizer.pipeline;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.imageresizer.local.MinioNotifications;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.IntegrationTest;
import dev.imageresizer.support.KafkaSourceRequest;
import dev.imageresizer.support.LocalServersResource;
import io.minio.RemoveObjectArgs;
import io.minio.StatObjectResponse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** The manifest next to the renditions: what it lists, its placeholder, and that it follows the renditions' life. */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class ManifestTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static long offset = 97_000;

    @Test
    void listsEveryRenditionAsStoredWithTheUprightSourceAndAPlaceholder() throws Exception {
        // stored 1200x1800 with EXIF orientation 6: upright it is 1800x1200, landscape
        ObjectState photo = upload(prefix + "rotated.jpg", Images.fixture("exif-orientation/Landscape_6.jpg"), "image/jpeg");

        send(photo).body("stored[0].written", equalTo(3));

        JsonNode manifest = JSON.readTree(store.get(PROCESSED, "manifest/" + photo.key() + ".json"));
        assertEquals("application/json", store.stat(PROCESSED, "manifest/" + photo.key() + ".json").orElseThrow().contentType());
        JsonNode source = manifest.get("source");
        assertEquals(IMAGES, source.get("bucket").asText());
        assertEquals(photo.key(), source.get("key").asText());
        assertEquals(photo.eTag(), source.get("etag").asText());
        assertEquals(1800, source.get("width").asInt());
        assertEquals(1200, source.get("height").asInt());
        assertEquals("image/jpeg", source.get("contentType").asText());
        assertEquals(3, manifest.get("renditions").size());
        for (JsonNode rendition : manifest.get("renditions")) {
            StatObjectResponse stored = store.stat(PROCESSED, rendition.get("key").asText()).orElseThrow();
            assertEquals(stored.size(), rendition.get("bytes").asLong(), rendition.toString());
            assertEquals(stored.contentType(), rendition.get("contentType").asText(), rendition.toString());
            BufferedImage image = Images.decode(store.get(PROCESSED, rendition.get("key").asText()));
            assertEquals(image.getWidth(), rendition.get("width").asInt(), rendition.toString());
            assertEquals(image.getHeight(), rendition.get("height").asInt(), rendition.toString());
        }
        byte[] thumbHash = Base64.getDecoder().decode(manifest.get("placeholder").get("thumbHash").asText());
        assertTrue(thumbHash.length >= 5 && thumbHash.length <= 30, "a ThumbHash is 5 to 30 bytes");
        assertTrue((thumbHash[4] & 0x80) != 0, "the ThumbHash is of the upright, landscape image");
        assertTrue(manifest.get("placeholder").get("dominantColor").asText().matches("#[0-9a-f]{6}"));
    }

    @Test
    void theDominantColourIsTheColourMostOfTheImageIs() throws Exception {
        BufferedImage image = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0x33, 0x66, 0xcc));
        g.fillRect(0, 0, 400, 300);
        g.setColor(Color.RED);
        g.fillRect(0, 0, 150, 100); // an eighth of the image
        g.setColor(Color.YELLOW);
        g.fillRect(250, 200, 150, 100);
        g.dispose();
        ObjectState png = upload(prefix + "blue.png", Images.encode(image, "png"), "image/png");

        send(png).body("stored[0].written", equalTo(3));

        JsonNode manifest = JSON.readTree(store.get(PROCESSED, "manifest/" + png.key() + ".json"));
        assertEquals("#3366cc", manifest.get("placeholder").get("dominantColor").asText());
    }

    @Test
    void aRedeliveryRewritesNothingAndAMissingManifestIsMadeAgainAlone() throws Exception {
        ObjectState photo = upload(prefix + "again.jpg", Images.fixture("photos/leuven.jpg"), "image/jpeg");
        send(photo).body("stored[0].written", equalTo(3));
        String manifestKey = "manifest/" + photo.key() + ".json";
        String firstEtag = store.stat(PROCESSED, manifestKey).orElseThrow().etag();
        Instant firstWrite = store.stat(PROCESSED, manifestKey).orElseThrow().lastModified().toInstant();

        send(photo).body("stored[0].written", equalTo(0));
        assertEquals(firstWrite, store.stat(PROCESSED, manifestKey).orElseThrow().lastModified().toInstant(), "not rewritten");

        minio.removeObject(RemoveObjectArgs.builder().bucket(PROCESSED).object(manifestKey).build());
        send(photo).body("stored[0].written", equalTo(0));
        assertEquals(firstEtag, store.stat(PROCESSED, manifestKey).orElseThrow().etag(), "the same manifest, made again");
    }

    private static ValidatableResponse send(ObjectState object) {
        return KafkaSourceRequest.send(MinioNotifications.recordKey(IMAGES, object.key()),
                MinioNotifications.event("s3:ObjectCreated:Put", object, Instant.now()), offset++).then().statusCode(200);
    }
}
