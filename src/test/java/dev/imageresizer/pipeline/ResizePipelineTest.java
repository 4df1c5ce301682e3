package dev.imageresizer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.imageresizer.storage.ETag;
import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.event.ObjectEvent;
import dev.imageresizer.failure.Failure;
import dev.imageresizer.local.MinioNotifications;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.support.HostileImages;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.InMemoryStorage;
import dev.imageresizer.support.RecordingAnnouncer;
import dev.imageresizer.support.TestConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.smallrye.config.SmallRyeConfig;

/**
 * The pipeline's decisions, without a server: an object store in memory and an announcer that records. What is made,
 * reused, written, copied and deleted, and in which order; the real-server tests (ConformanceTest, ManifestTest,
 * FirebaseParityTest) keep the boundaries honest.
 */
class ResizePipelineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] PHOTO = Images.synthetic("jpeg", 800, 600, false);
    private static final List<String> RENDITIONS = List.of("large/photo.jpg", "small/photo.jpg", "thumb/photo.jpg");

    private final InMemoryStorage store = new InMemoryStorage();
    private final RecordingAnnouncer announcer = new RecordingAnnouncer();

    private ResizePipeline pipeline(Map<String, String> properties) {
        return pipeline(properties, announcer);
    }

    private ResizePipeline pipeline(Map<String, String> properties, Announcer announcer) {
        SmallRyeConfig config = TestConfig.of(properties);
        return new ResizePipeline(config.getConfigMapping(ResizerConfig.class), config, store, announcer,
                new PipelineMetrics(new SimpleMeterRegistry()), OpenTelemetry.noop().getTracer("test"), JSON);
    }

    private static ObjectEvent created(String key, String eTag) {
        return new ObjectEvent("ObjectCreated:Put", "images", key, eTag == null ? null : new ETag(eTag), 1L);
    }

    private StoredRenditions handle(ResizePipeline pipeline, String key, String eTag) {
        EventResult result = pipeline.handle("event-1", created(key, eTag));
        assertEquals(1, result.stored().size(), result.toString());
        return result.stored().get(0);
    }

    @Test
    void aNewOriginalGetsEveryRenditionThenItsManifestThenTheAnnouncement() throws Exception {
        String eTag = store.upload("images", "photo.jpg", PHOTO, "image/jpeg");

        StoredRenditions stored = handle(pipeline(Map.of()), "photo.jpg", eTag);

        assertEquals(3, stored.written());
        assertEquals(List.of("large", "small", "thumb"), stored.renditions().stream().map(StoredRenditions.Rendition::name).toList());
        assertEquals(new StoredRenditions.Rendition("thumb", "processed", "thumb/photo.jpg", 150, 150,
                store.get("processed", "thumb/photo.jpg").orElseThrow().content().length, "image/jpeg"), stored.renditions().get(2));
        assertEquals("imageio", stored.jpegCodec());
        List<String> puts = store.requests("PUT");
        assertEquals(4, puts.size(), puts.toString());
        assertEquals("PUT processed/manifest/photo.jpg.json", puts.get(3), "the manifest after the renditions");
        assertEquals(List.of(stored), announcer.all());
        JsonNode manifest = JSON.readTree(store.get("processed", "manifest/photo.jpg.json").orElseThrow().content());
        assertEquals(800, manifest.get("source").get("width").asInt());
        assertEquals(3, manifest.get("renditions").size());
        assertTrue(manifest.get("placeholder").get("dominantColor").asText().startsWith("#"));
        assertEquals(Map.of("source-bucket", "images", "source-key", "photo.jpg", "source-etag", eTag, "width", "800", "height", "600"),
                store.get("processed", "large/photo.jpg").orElseThrow().metadata(), "never upscaled");
    }

    @Test
    void renditionsStoredForTheSameETagAreReusedWithoutAFetch() {
        ResizePipeline pipeline = pipeline(Map.of());
        String eTag = store.upload("images", "photo.jpg", PHOTO, "image/jpeg");
        StoredRenditions first = handle(pipeline, "photo.jpg", eTag);
        store.forgetRequests();

        StoredRenditions again = handle(pipeline, "photo.jpg", eTag);

        assertEquals(0, again.written());
        assertEquals(first.renditions(), again.renditions());
        assertEquals(List.of("HEAD processed/large/photo.jpg", "HEAD processed/small/photo.jpg", "HEAD processed/thumb/photo.jpg",
                "HEAD processed/manifest/photo.jpg.json"), store.requests(), "one lookup, no download, no store");
        assertEquals(List.of(first, again), announcer.stored(), "a redelivery is announced again");
    }

    @Test
    void aChangedETagRendersAgain() {
        ResizePipeline pipeline = pipeline(Map.of());
        handle(pipeline, "photo.jpg", store.upload("images", "photo.jpg", PHOTO, "image/jpeg"));
        String newer = store.upload("images", "photo.jpg", Images.synthetic("jpeg", 600, 800, false), "image/jpeg");
        store.forgetRequests();

        StoredRenditions stored = handle(pipeline, "photo.jpg", newer);

        assertEquals(3, stored.written());
        assertEquals(1, store.requests("GET").size());
        assertEquals(4, store.requests("PUT").size());
        for (String key : RENDITIONS) {
            assertEquals(newer, store.get("processed", key).orElseThrow().metadata().get("source-etag"), key);
        }
        assertEquals("600", store.get("processed", "large/photo.jpg").orElseThrow().metadata().get("width"));
    }

    @Test
    void anEventWithoutAnETagIsFetchedAndFindsCurrentRenditionsAfterInspection() {
        ResizePipeline pipeline = pipeline(Map.of());
        String eTag = store.upload("images", "photo.jpg", PHOTO, "image/jpeg");
        handle(pipeline, "photo.jpg", eTag);
        store.forgetRequests();

        StoredRenditions stored = handle(pipeline, "photo.jpg", null);

        assertEquals(0, stored.written());
        assertEquals(eTag, stored.source().etag(), "the ETag of what was fetched");
        assertEquals(List.of(), store.requests("PUT"));
        assertEquals(1, store.requests("GET").size());
    }

    @Test
    void onlyTheMissingRenditionIsMadeAndTheManifestWithIt() {
        ResizePipeline pipeline = pipeline(Map.of());
        String eTag = store.upload("images", "photo.jpg", PHOTO, "image/jpeg");
        handle(pipeline, "photo.jpg", eTag);
        store.remove("processed", "small/photo.jpg");
        store.forgetRequests();

        StoredRenditions stored = handle(pipeline, "photo.jpg", eTag);

        assertEquals(1, stored.written());
        assertEquals(3, stored.renditions().size());
        assertEquals(List.of("PUT processed/small/photo.jpg", "PUT processed/manifest/photo.jpg.json"), store.requests("PUT"));
        assertEquals(List.of("HEAD processed/large/photo.jpg", "HEAD processed/small/photo.jpg", "HEAD processed/thumb/photo.jpg",
                "HEAD processed/manifest/photo.jpg.json"), store.requests("HEAD"), "the keys looked up before the download are not asked again");
    }

    @Test
    void aMissingOrStaleManifestIsWrittenAloneAndACurrentOneNever() {
        ResizePipeline pipeline = pipeline(Map.of());
        String eTag = store.upload("images", "photo.jpg", PHOTO, "image/jpeg");
        handle(pipeline, "photo.jpg", eTag);
        byte[] manifest = store.get("processed", "manifest/photo.jpg.json").orElseThrow().content();

        store.remove("processed", "manifest/photo.jpg.json");
        store.forgetRequests();
        assertEquals(0, handle(pipeline, "photo.jpg", eTag).written());
        assertEquals(List.of("PUT processed/manifest/photo.jpg.json"), store.requests("PUT"), "missing");
        assertEquals(new String(manifest, StandardCharsets.UTF_8), store.get("processed", "manifest/photo.jpg.json").orElseThrow().text());

        store.upload("processed", "manifest/photo.jpg.json", manifest, "application/json",
                Map.of("source-bucket", "images", "source-key", "photo.jpg", "source-etag", "an-older-etag"), Map.of());
        store.forgetRequests();
        handle(pipeline, "photo.jpg", eTag);
        assertEquals(List.of("PUT processed/manifest/photo.jpg.json"), store.requests("PUT"), "stale");

        store.forgetRequests();
        handle(pipeline, "photo.jpg", eTag);
        assertEquals(List.of(), store.requests("PUT"), "current");
    }

    @Test
    void withoutManifestsNoneIsLookedUpOrWritten() {
        String eTag = store.upload("images", "photo.jpg", PHOTO, "image/jpeg");

        handle(pipeline(Map.of("resizer.manifest.enabled", "false")), "photo.jpg", eTag);

        assertEquals(RENDITIONS, store.keys("processed"));
        assertTrue(store.requests().stream().noneMatch(r -> r.contains("manifest")), store.requests().toString());
    }

    @Test
    void aRenditionInAnotherFormatIsFoundCurrentOnceTheOriginalIsInspected() {
        ResizePipeline pipeline = pipeline(Map.of("resizer.renditions.thumb.format", "png"));
        String eTag = store.upload("images", "photo.jpg", PHOTO, "image/jpeg");
        handle(pipeline, "photo.jpg", eTag);
        assertTrue(store.exists("processed", "thumb/photo.jpg.png"));
        store.forgetRequests();

        StoredRenditions stored = handle(pipeline, "photo.jpg", eTag);

        assertEquals(0, stored.written());
        assertEquals(1, store.requests("GET").size(), "its key in the original's format holds nothing, so the original is fetched");
        assertEquals(List.of(), store.requests("PUT"));
        assertEquals(List.of("HEAD processed/large/photo.jpg", "HEAD processed/small/photo.jpg", "HEAD processed/thumb/photo.jpg",
                "HEAD processed/manifest/photo.jpg.json", "HEAD processed/thumb/photo.jpg.png"), store.requests("HEAD"),
                "after inspection only the key not looked up yet");
    }

    @Test
    void theOriginalsMetadataIsCopiedWithinTwoKilobytesAndOursWins() {
        String eTag = store.upload("images", "small.jpg", PHOTO, "image/jpeg", Map.of("owner", "alice", "source-etag", "forged"),
                Map.of("Content-Disposition", "inline", "Cache-Control", "no-cache"));
        String bigETag = store.upload("images", "big.jpg", PHOTO, "image/jpeg", Map.of("owner", "bob", "notes", "x".repeat(2048)), Map.of());
        ResizePipeline pipeline = pipeline(Map.of());

        handle(pipeline, "small.jpg", eTag);
        handle(pipeline, "big.jpg", bigETag);

        InMemoryStorage.StoredBytes small = store.get("processed", "thumb/small.jpg").orElseThrow();
        assertEquals("alice", small.metadata().get("owner"));
        assertEquals(eTag, small.metadata().get("source-etag"));
        assertEquals(Map.of("Content-Disposition", "inline", "Cache-Control", "no-cache"), small.headers(), "inherited");
        InMemoryStorage.StoredBytes big = store.get("processed", "thumb/big.jpg").orElseThrow();
        assertFalse(big.metadata().containsKey("owner"), "over S3's 2 KB: none of the original's");
        assertEquals(bigETag, big.metadata().get("source-etag"));
    }

    @Test
    void aConfiguredCacheControlWinsOnRenditionsAndManifest() {
        String eTag = store.upload("images", "photo.jpg", PHOTO, "image/jpeg", Map.of(), Map.of("Cache-Control", "no-cache"));

        handle(pipeline(Map.of("resizer.destination.cache-control", "max-age=60")), "photo.jpg", eTag);

        assertEquals("max-age=60", store.get("processed", "thumb/photo.jpg").orElseThrow().headers().get("Cache-Control"));
        assertEquals(Map.of("Cache-Control", "max-age=60"), store.get("processed", "manifest/photo.jpg.json").orElseThrow().headers());
    }

    @Test
    void withoutCopyingNothingOfTheOriginalsIsInherited() {
        String eTag = store.upload("images", "photo.jpg", PHOTO, "image/jpeg", Map.of("owner", "alice"), Map.of("Cache-Control", "no-cache"));

        handle(pipeline(Map.of("resizer.destination.copy-metadata", "false")), "photo.jpg", eTag);

        InMemoryStorage.StoredBytes thumb = store.get("processed", "thumb/photo.jpg").orElseThrow();
        assertFalse(thumb.metadata().containsKey("owner"));
        assertEquals(Map.of(), thumb.headers());
    }

    @Test
    void aRefusedOriginalIsAnnouncedAndKeptUnderTheFailedPrefix() {
        String eTag = store.upload("images", "notes.jpg", "not an image at all".getBytes(StandardCharsets.UTF_8), "image/jpeg");
        ResizePipeline pipeline = pipeline(Map.of("resizer.destination.failed-prefix", "failed/", "resizer.source.delete-original", "true"));

        Failure.Rejected e = assertThrows(Failure.Rejected.class, () -> pipeline.handle("event-1", created("notes.jpg", eTag)));

        assertEquals(Failure.Reason.NOT_AN_IMAGE, e.reason());
        assertEquals(List.of(new Rejection("event-1", "images", "notes.jpg", eTag, "notanimage", e.getMessage())), announcer.all());
        assertEquals(Map.of("resizer-rejection", "notanimage", "source-bucket", "images", "source-key", "notes.jpg"),
                store.get("processed", "failed/notes.jpg").orElseThrow().metadata());
        assertTrue(store.exists("images", "notes.jpg"), "a refused original is never deleted");
        assertEquals(List.of(), store.requests("DELETE"));
    }

    @Test
    void anOriginalOverTheSizeLimitIsKeptToo() {
        String eTag = store.upload("images", "photo.jpg", PHOTO, "image/jpeg");
        ResizePipeline pipeline = pipeline(Map.of("resizer.destination.failed-prefix", "failed/", "resizer.limits.max-source-size", "1K"));

        Failure.Rejected e = assertThrows(Failure.Rejected.class, () -> pipeline.handle("event-1", created("photo.jpg", eTag)));

        assertEquals(Failure.Reason.TOO_LARGE, e.reason());
        assertTrue(store.exists("processed", "failed/photo.jpg"));
    }

    @Test
    void theOriginalIsDeletedOnlyOnceStoredAndAnnouncedAndOnlyIfUnchanged() {
        String eTag = store.upload("images", "photo.jpg", PHOTO, "image/jpeg");
        List<String> seenAtAnnouncement = new ArrayList<>();
        ResizePipeline pipeline = pipeline(Map.of("resizer.source.delete-original", "true"), new Announcer() {
            @Override
            public void announce(StoredRenditions renditions) {
                seenAtAnnouncement.addAll(store.keys("images"));
                seenAtAnnouncement.addAll(store.keys("processed"));
            }

            @Override
            public void announce(Rejection rejection) {
            }
        });

        handle(pipeline, "photo.jpg", eTag);

        assertEquals(List.of("photo.jpg", "large/photo.jpg", "manifest/photo.jpg.json", "small/photo.jpg", "thumb/photo.jpg"),
                seenAtAnnouncement, "everything stored, and the original still there, when announced");
        assertFalse(store.exists("images", "photo.jpg"));
        assertEquals("DELETE images/photo.jpg", store.requests().get(store.requests().size() - 1));

        String newer = store.upload("images", "photo.jpg", Images.synthetic("jpeg", 300, 200, false), "image/jpeg");
        handle(pipeline, "photo.jpg", eTag); // a redelivery of the first upload's event: its renditions are current
        assertTrue(store.exists("images", "photo.jpg"), "a newer upload under the key is not deleted");
        assertEquals(newer, store.get("images", "photo.jpg").orElseThrow().eTag());
    }

    @Test
    void anObjectGoneBeforeTheFetchIsIgnored() {
        EventResult result = pipeline(Map.of()).handle("event-1", created("gone.jpg", "0123"));

        assertEquals(List.of(), result.stored());
        assertEquals(List.of(new EventResult.Ignored("images", "gone.jpg", "ObjectCreated:Put", "object no longer exists")), result.ignored());
        assertEquals(List.of(), announcer.all());
        assertEquals(List.of(), store.requests("PUT"));
    }

    @Test
    void aRejectedRecordIsAnnouncedAndTheOthersAreStillProcessed() throws Exception {
        String textETag = store.upload("images", "notes.jpg", "<html>no image</html>".getBytes(StandardCharsets.UTF_8), "image/jpeg");
        String photoETag = store.upload("images", "photo.jpg", PHOTO, "image/jpeg");
        ObjectNode notification = (ObjectNode) JSON.readTree(MinioNotifications.event("s3:ObjectCreated:Put",
                new ObjectState("images", "notes.jpg", textETag, 21, "image/jpeg"), Instant.now()));
        JsonNode second = JSON.readTree(MinioNotifications.event("s3:ObjectCreated:Put",
                new ObjectState("images", "photo.jpg", photoETag, PHOTO.length, "image/jpeg"), Instant.now()));
        ((ArrayNode) notification.get("Records")).add(second.get("Records").get(0));

        ResizePipeline pipeline = pipeline(Map.of());
        Failure.Rejected e = assertThrows(Failure.Rejected.class, () -> pipeline.handle("event-2", JSON.writeValueAsBytes(notification)));

        assertEquals(Failure.Reason.NOT_AN_IMAGE, e.reason());
        assertEquals(2, announcer.all().size());
        assertEquals("notes.jpg", announcer.rejections().get(0).key());
        assertEquals(3, announcer.stored().get(0).written());
        assertTrue(store.exists("processed", "thumb/photo.jpg"));
    }

    @Test
    void whenAStoreFailsThePutsUnderWayAreCancelledAndNothingIsAnnounced() {
        String eTag = store.upload("images", "photo.jpg", PHOTO, "image/jpeg");
        store.failPuts(key -> key.startsWith("thumb/"));

        assertThrows(Failure.Transient.class, () -> pipeline(Map.of()).handle("event-1", created("photo.jpg", eTag)));

        assertEquals(List.of("CANCEL processed/large/photo.jpg", "CANCEL processed/small/photo.jpg"), store.requests("CANCEL"),
                "the renditions sent before, largest first");
        assertEquals(List.of(), store.keys("processed"));
        assertEquals(List.of(), announcer.all(), "retried, not announced");
    }

    @Test
    void anAnimatedGifStaysAnimatedWhenAsked() {
        String eTag = store.upload("images", "anim.gif", HostileImages.animatedGif(6, 200, 100), "image/gif");

        StoredRenditions stored = handle(pipeline(Map.of("resizer.animation", "keep")), "anim.gif", eTag);

        assertEquals(List.of("image/gif", "image/gif", "image/gif"), stored.renditions().stream().map(StoredRenditions.Rendition::contentType).toList());
        assertEquals(List.of("large/anim.gif", "manifest/anim.gif.json", "small/anim.gif", "thumb/anim.gif"), store.keys("processed"));
    }
}
