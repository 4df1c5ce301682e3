package dev.imageresizer.pipeline;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sksamuel.scrimage.ImmutableImage;
import com.sksamuel.scrimage.ScaleMethod;

import dev.imageresizer.local.MinioNotifications;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.storage.ETag;
import dev.imageresizer.support.HostileImages;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.IntegrationTest;
import dev.imageresizer.support.KafkaSourceRequest;
import dev.imageresizer.support.LocalServersResource;
import dev.imageresizer.support.OffCentreSubjects;
import dev.imageresizer.support.OffCentreSubjects.Subject;
import io.minio.ObjectWriteResponse;
import io.minio.PutObjectArgs;
import io.minio.StatObjectResponse;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;

/**
 * What users of Firebase's "Resize Images" expect, over the real stack: its key naming ({@code photo_200x200.jpg}
 * beside the original's path), include paths with wildcards, the original's
 * metadata and Content-Disposition on its renditions, a Cache-Control override, refused originals kept under a
 * failed-images prefix, the original deleted once everything is stored, animated GIFs kept animated, a WebP
 * rendition beside the JPEG one of the same size (its "convert image to preferred types"), and (beyond Firebase) the
 * uploader's focal point.
 */
@QuarkusTest
@TestProfile(FirebaseParityTest.Parity.class)
@WithTestResource(LocalServersResource.class)
class FirebaseParityTest extends IntegrationTest {

    static final String CACHE_CONTROL = "public, max-age=31536000, immutable";

    public static class Parity implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(Map.entry("resizer.source.include-prefixes", "FirebaseParityTest/*/users/*/in/"),
                    Map.entry("resizer.destination.key-template", "{dir}{name}_{width}x{height}.{ext}"),
                    Map.entry("resizer.destination.cache-control", CACHE_CONTROL),
                    Map.entry("resizer.destination.failed-prefix", "failed/"),
                    Map.entry("resizer.source.delete-original", "true"),
                    Map.entry("resizer.animation", "keep"),
                    // Firebase's "convert image to preferred types" (jpeg and webp): the <picture> pattern
                    Map.entry("resizer.renditions.small.also-webp", "true"));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static long offset = 98_000;

    @Test
    void renditionsInheritMetadataTakeTheCacheControlAndTheOriginalGoes() throws Exception {
        ObjectState photo = uploadWith(prefix + "users/alice/in/photo.jpg", Images.fixture("photos/leuven.jpg"), "image/jpeg",
                Map.of("owner", "alice", "source-etag", "forged"), Map.of("Content-Disposition", "inline; filename=\"photo.jpg\""));

        send(photo).statusCode(200).body("stored[0].written", equalTo(4));

        String stem = photo.key().substring(0, photo.key().length() - ".jpg".length());
        for (String rendition : List.of("_1280x1280.jpg", "_640x640.jpg", "_150x150.jpg", "_640x640.webp")) {
            StatObjectResponse stored = store.stat(PROCESSED, stem + rendition).orElseThrow(() -> new AssertionError("named by the template: " + stem));
            assertEquals("alice", stored.userMetadata().get("owner"), rendition);
            assertEquals(photo.eTag(), stored.userMetadata().get("source-etag"), "ours win over the original's: " + rendition);
            assertEquals("inline; filename=\"photo.jpg\"", stored.headers().get("Content-Disposition"), rendition);
            assertEquals(CACHE_CONTROL, stored.headers().get("Cache-Control"), rendition);
        }
        assertEquals(CACHE_CONTROL, store.stat(PROCESSED, "manifest/" + photo.key() + ".json").orElseThrow().headers().get("Cache-Control"));
        assertFalse(store.exists(IMAGES, photo.key()), "the original is deleted once its renditions are stored");

        send(photo).statusCode(200); // a redelivery after the deletion: nothing left to do, nothing lost
    }

    /** thumbor's and imgproxy's focal point: the uploader's {@code x-amz-meta-focus-x/-y} centre the cover thumbnail. */
    @Test
    void theUploadersFocalPointCentresTheThumbnail() throws Exception {
        Subject subject = OffCentreSubjects.all().get(1); // a face at the bottom right of 600x400
        Map<String, String> focus = Map.of("focus-x", String.valueOf(subject.bounds().getCenterX() / 600),
                "focus-y", String.valueOf(subject.bounds().getCenterY() / 400));
        ObjectState face = uploadWith(prefix + "users/erin/in/face.png", Images.encode(subject.image(), "png"), "image/png", focus, Map.of());

        send(face).statusCode(200).body("stored[0].written", equalTo(4));

        BufferedImage thumb = Images.decode(store.get(PROCESSED, face.key().replace(".png", "_150x150.png")));
        BufferedImage scaled = ImmutableImage.wrapAwt(subject.image()).scaleTo(225, 150, ScaleMethod.Bicubic).awt();
        double toFocused = Images.meanDifference(thumb, scaled.getSubimage(75, 0, 150, 150)); // as far right as the window goes
        double toCentred = Images.meanDifference(thumb, scaled.getSubimage(37, 0, 150, 150));
        assertTrue(toFocused < 3 && toCentred > 3 * toFocused, "mean difference to the window at the focal point " + toFocused
                + ", to the centred one " + toCentred);
    }

    @Test
    void aWebpRenditionBesideTheJpegOneOfTheSameSizeIsSmallerAndInTheManifest() throws Exception {
        ObjectState photo = upload(prefix + "users/erin/in/photo.jpg", Images.fixture("photos/elephants-1920.jpg"), "image/jpeg");

        send(photo).statusCode(200).body("stored[0].written", equalTo(4))
                .body("stored[0].renditions.find { it.name == 'small-webp' }.contentType", equalTo("image/webp"));

        String stem = photo.key().substring(0, photo.key().length() - ".jpg".length());
        BufferedImage jpeg = assertRendition(stem + "_640x640.jpg", photo, "image/jpeg", 640, 360); // 1920x1080
        BufferedImage webp = assertRendition(stem + "_640x640.webp", photo, "image/webp", 640, 360);
        double psnr = Images.psnr(jpeg, webp);
        assertTrue(psnr > 30, "PSNR of the WebP against the JPEG rendition: " + psnr);
        long webpBytes = store.stat(PROCESSED, stem + "_640x640.webp").orElseThrow().size();
        long jpegBytes = store.stat(PROCESSED, stem + "_640x640.jpg").orElseThrow().size();
        assertTrue(webpBytes < jpegBytes, webpBytes + " bytes of WebP vs " + jpegBytes + " of JPEG");
        JsonNode entry = StreamSupport.stream(JSON.readTree(store.get(PROCESSED, "manifest/" + photo.key() + ".json")).get("renditions").spliterator(), false)
                .filter(r -> r.get("name").asText().equals("small-webp")).findFirst().orElseThrow(() -> new AssertionError("not in the manifest"));
        assertEquals(stem + "_640x640.webp", entry.get("key").asText());
        assertEquals("image/webp", entry.get("contentType").asText());
        assertEquals(webpBytes, entry.get("bytes").asLong());
    }

    @Test
    void anAnimatedGifStaysAnimated() throws Exception {
        ObjectState gif = upload(prefix + "users/dan/in/anim.gif", HostileImages.animatedGif(12, 200, 100), "image/gif");

        send(gif).statusCode(200).body("stored[0].written", equalTo(4));

        String stem = gif.key().substring(0, gif.key().length() - ".gif".length());
        for (String rendition : List.of("_1280x1280.gif", "_640x640.gif", "_150x150.gif")) {
            StatObjectResponse stored = store.stat(PROCESSED, stem + rendition).orElseThrow(() -> new AssertionError(stem + rendition));
            assertEquals("image/gif", stored.contentType());
            ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
            reader.setInput(ImageIO.createImageInputStream(new ByteArrayInputStream(store.get(PROCESSED, stem + rendition))));
            assertEquals(12, reader.getNumImages(true), rendition);
        }
        // the WebP encoder writes no animation: a webp rendition is a still of the first frame
        ImageReader webp = ImageIO.getImageReadersByFormatName("webp").next();
        webp.setInput(ImageIO.createImageInputStream(new ByteArrayInputStream(store.get(PROCESSED, stem + "_640x640.webp"))));
        assertEquals(1, webp.getNumImages(true));
        assertEquals("image/webp", store.stat(PROCESSED, stem + "_640x640.webp").orElseThrow().contentType());
    }

    @Test
    void onlyKeysMatchingTheWildcardIncludeAreResizedAndKept() {
        ObjectState elsewhere = upload(prefix + "users/bob/out/photo.jpg", Images.fixture("photos/leuven.jpg"), "image/jpeg");
        ObjectState deeper = upload(prefix + "users/bob/x/in/photo.jpg", Images.fixture("photos/leuven.jpg"), "image/jpeg");

        send(elsewhere).statusCode(200).body("ignored[0].reason", equalTo("key matches no include prefix [FirebaseParityTest/*/users/*/in/]"));
        send(deeper).statusCode(200).body("ignored.size()", equalTo(1));

        assertFalse(store.exists(PROCESSED, elsewhere.key().replace(".jpg", "_150x150.jpg")));
        assertTrue(store.exists(IMAGES, elsewhere.key()), "an ignored original is never deleted");
    }

    @Test
    void aRefusedOriginalIsCopiedToTheFailedPrefixAndKept() {
        ObjectState text = upload(prefix + "users/carol/in/notes.jpg", "not an image at all".getBytes(), "image/jpeg");

        send(text).statusCode(422);

        StatObjectResponse copy = store.stat(PROCESSED, "failed/" + text.key()).orElseThrow(() -> new AssertionError("no copy under failed/"));
        assertEquals("notanimage", copy.userMetadata().get("resizer-rejection"));
        assertEquals(text.size(), copy.size());
        assertTrue(store.exists(IMAGES, text.key()), "a refused original is never deleted");
    }

    private ObjectState uploadWith(String key, byte[] bytes, String contentType, Map<String, String> metadata, Map<String, String> headers) throws Exception {
        ObjectWriteResponse written = minio.putObject(PutObjectArgs.builder().bucket(IMAGES).object(key)
                .stream(new ByteArrayInputStream(bytes), bytes.length, -1).contentType(contentType).userMetadata(metadata).headers(headers).build());
        return new ObjectState(IMAGES, key, ETag.of(written.etag()).value(), bytes.length, contentType);
    }

    private static ValidatableResponse send(ObjectState object) {
        return KafkaSourceRequest.send(MinioNotifications.recordKey(IMAGES, object.key()),
                MinioNotifications.event("s3:ObjectCreated:Put", object, Instant.now()), offset++).then();
    }
}
