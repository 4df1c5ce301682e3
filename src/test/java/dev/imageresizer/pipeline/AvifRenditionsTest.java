package dev.imageresizer.pipeline;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.imageresizer.imaging.Heif;
import dev.imageresizer.imaging.ImageData;
import dev.imageresizer.imaging.ImageFormat;
import dev.imageresizer.local.MinioNotifications;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.IntegrationTest;
import dev.imageresizer.support.KafkaSourceRequest;
import dev.imageresizer.support.Libheif;
import dev.imageresizer.support.LocalServersResource;
import io.minio.StatObjectResponse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * An {@code avif} rendition beside the default ones (the {@code <picture>} pattern), over the real stack: a HEIC and a
 * JPEG original each get it, stored as {@code image/avif} with its manifest entry, and it decodes back to the picture.
 */
@QuarkusTest
@TestProfile(AvifRenditionsTest.WithAvif.class)
@WithTestResource(LocalServersResource.class)
class AvifRenditionsTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static long offset = 97_000;

    public static class WithAvif implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("resizer.source.include-prefixes", "AvifRenditionsTest/",
                    "resizer.renditions.web.width", "640", "resizer.renditions.web.height", "640",
                    "resizer.renditions.web.format", "avif", "resizer.renditions.web.quality", "70");
        }
    }

    @Test
    void aHeicOriginalGetsAnAvifRenditionThatDecodesBack() throws Exception {
        Heif heif = Libheif.require("AvifRenditionsTest");
        ObjectState photo = upload(prefix + "coffee.heic", Images.fixture("heif/coffee-600x400.heic"), "image/heic");

        send(photo).statusCode(200).body("stored[0].written", equalTo(4));

        String key = "web/" + photo.key() + ".avif";
        StatObjectResponse stat = store.stat(PROCESSED, key).orElseThrow(() -> new AssertionError("no " + key));
        assertEquals("image/avif", stat.contentType());
        BufferedImage back = heif.decode(ImageData.of(store.get(PROCESSED, key)), ImageFormat.AVIF, 1);
        assertEquals(600, back.getWidth());
        assertEquals(400, back.getHeight());
        double psnr = Images.psnr(Images.decode(Images.fixture("photos/coffee.png")), back);
        assertTrue(psnr > 28, "HEIC -> AVIF rendition " + psnr + " dB from the source");
        JsonNode manifest = JSON.readTree(store.get(PROCESSED, "manifest/" + photo.key() + ".json"));
        JsonNode web = null;
        for (JsonNode rendition : manifest.get("renditions")) {
            if (rendition.get("name").asText().equals("web")) {
                web = rendition;
            }
        }
        assertTrue(web != null, manifest.toString());
        assertEquals(key, web.get("key").asText());
        assertEquals("image/avif", web.get("contentType").asText());
        assertEquals(stat.size(), web.get("bytes").asLong());
    }

    @Test
    void aJpegOriginalGetsItBesideItsJpegRendition() {
        Heif heif = Libheif.require("AvifRenditionsTest");
        ObjectState photo = upload(prefix + "leuven.jpg", Images.fixture("photos/leuven.jpg"), "image/jpeg");

        send(photo).statusCode(200).body("stored[0].written", equalTo(4));

        byte[] avif = store.get(PROCESSED, "web/" + photo.key() + ".avif");
        BufferedImage jpeg = assertRendition("small/" + photo.key(), photo, "image/jpeg", 640, 480);
        BufferedImage back = heif.decode(ImageData.of(avif), ImageFormat.AVIF, 1);
        double psnr = Images.psnr(jpeg, back);
        assertTrue(psnr > 28, "the avif and jpeg renditions of the same size are " + psnr + " dB apart");
        System.out.printf("AvifRenditionsTest: leuven.jpg at 640x480: JPEG q85 %d bytes, AVIF q70 %d bytes%n",
                store.get(PROCESSED, "small/" + photo.key()).length, avif.length);
    }

    private static io.restassured.response.ValidatableResponse send(ObjectState object) {
        return KafkaSourceRequest.send(MinioNotifications.recordKey(IMAGES, object.key()),
                MinioNotifications.event("s3:ObjectCreated:Put", object, Instant.now()), offset++).then();
    }
}
