package dev.imageresizer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.imageresizer.storage.ETag;
import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.imaging.ImageFormat;
import dev.imageresizer.imaging.ImageInfo;
import dev.imageresizer.imaging.Target;
import dev.imageresizer.pipeline.StoredRenditions.Rendition;
import dev.imageresizer.support.InMemoryStorage;
import dev.imageresizer.support.TestConfig;

/** Which renditions are current, before the download and after inspection: one decision, each key looked up once. */
class CurrentRenditionsTest {

    private static final ImageInfo JPEG_800x600 = new ImageInfo(ImageFormat.JPEG, 800, 600, 1, false);

    private final InMemoryStorage store = new InMemoryStorage();

    private CurrentRenditions current(Map<String, String> properties) {
        ResizerConfig config = TestConfig.resizer(properties);
        return CurrentRenditions.of(config, ConfigCheck.validate(config), store);
    }

    private void stored(String key, String eTag, String width, String height) {
        store.upload("processed", key, new byte[10], "image/jpeg",
                Map.of("source-bucket", "images", "source-key", "a.jpg", "source-etag", eTag, "width", width, "height", height), Map.of());
    }

    private void storedAll(String eTag) {
        stored("large/a.jpg", eTag, "800", "600");
        stored("small/a.jpg", eTag, "640", "480");
        stored("thumb/a.jpg", eTag, "150", "150");
        store.upload("processed", "manifest/a.jpg.json", new byte[2], "application/json",
                Map.of("source-bucket", "images", "source-key", "a.jpg", "source-etag", eTag), Map.of());
    }

    @Test
    void nothingStoredIsEverythingToMake() {
        Plan plan = current(Map.of()).lookup("images", "a.jpg").inOwnFormat(new ETag("e1"));

        assertEquals(List.of(), plan.current());
        assertEquals(Map.of("large", "large/a.jpg", "small", "small/a.jpg", "thumb", "thumb/a.jpg"), plan.missing());
        assertEquals(List.of("large", "small", "thumb"), List.copyOf(plan.missing().keySet()), "in rendition order");
        assertEquals(Optional.of("manifest/a.jpg.json"), plan.manifestKey());
        assertFalse(plan.complete());
    }

    @Test
    void aWebpBesideAJpegOfTheSameBoxIsNotTakenForMadeWhereTheJpegIs() {
        Map<String, String> picture = Map.of("resizer.destination.key-template", "{dir}{name}_{width}x{height}.{ext}",
                "resizer.renditions.small-webp.width", "640", "resizer.renditions.small-webp.height", "640",
                "resizer.renditions.small-webp.format", "webp");
        stored("a_640x640.jpg", "e1", "640", "480"); // the JPEG small one, made before small-webp was configured

        CurrentRenditions.Lookup lookup = current(picture).lookup("images", "a.jpg");
        Plan before = lookup.inOwnFormat(new ETag("e1"));

        assertEquals("a_640x640.jpg", before.missing().get("small-webp"), "before inspection its key is the JPEG's, and that is not it");
        assertTrue(before.current().stream().anyMatch(r -> r.name().equals("small")));
        store.upload("processed", "a_640x640.webp", new byte[10], "image/webp",
                Map.of("source-bucket", "images", "source-key", "a.jpg", "source-etag", "e1", "width", "640", "height", "480"), Map.of());
        Plan after = current(picture).lookup("images", "a.jpg").afterInspect(new ETag("e1"), JPEG_800x600);
        assertEquals(new Rendition("small-webp", "processed", "a_640x640.webp", 640, 480, 10, "image/webp"),
                after.current().stream().filter(r -> r.name().equals("small-webp")).findFirst().orElseThrow());
    }

    @Test
    void everythingStoredFromThisETagIsComplete() {
        storedAll("e1");

        Plan plan = current(Map.of()).lookup("images", "a.jpg").inOwnFormat(new ETag("e1"));

        assertTrue(plan.complete());
        assertEquals(List.of(new Rendition("large", "processed", "large/a.jpg", 800, 600, 10, "image/jpeg"),
                new Rendition("small", "processed", "small/a.jpg", 640, 480, 10, "image/jpeg"),
                new Rendition("thumb", "processed", "thumb/a.jpg", 150, 150, 10, "image/jpeg")), plan.current());
    }

    @Test
    void aRenditionOfAnotherETagOrWithoutItsSizeIsMissingAndTheManifestWithIt() {
        storedAll("e1");
        stored("small/a.jpg", "e0", "640", "480");
        stored("thumb/a.jpg", "e1", "150", "unknown");

        Plan plan = current(Map.of()).lookup("images", "a.jpg").inOwnFormat(new ETag("e1"));

        assertEquals(List.of("large"), plan.current().stream().map(Rendition::name).toList());
        assertEquals(List.of("small", "thumb"), List.copyOf(plan.missing().keySet()));
        assertEquals(Optional.of("manifest/a.jpg.json"), plan.manifestKey(), "a manifest lists every rendition: written again");
    }

    @Test
    void aStaleOrMissingManifestIsWrittenAlone() {
        storedAll("e1");
        store.upload("processed", "manifest/a.jpg.json", new byte[2], "application/json", Map.of("source-etag", "e1"), Map.of());

        Plan stale = current(Map.of()).lookup("images", "a.jpg").inOwnFormat(new ETag("e1"));
        store.remove("processed", "manifest/a.jpg.json");
        Plan missing = current(Map.of()).lookup("images", "a.jpg").inOwnFormat(new ETag("e1"));

        for (Plan plan : List.of(stale, missing)) {
            assertEquals(Map.of(), plan.missing());
            assertEquals(Optional.of("manifest/a.jpg.json"), plan.manifestKey());
            assertFalse(plan.complete());
        }
        store.remove("processed", "manifest/a.jpg.json");
        assertTrue(current(Map.of("resizer.manifest.enabled", "false")).lookup("images", "a.jpg").inOwnFormat(new ETag("e1")).complete(),
                "without manifests");
    }

    @Test
    void afterInspectionOnlyKeysNotYetLookedUpAreAsked() {
        CurrentRenditions.Lookup lookup = current(Map.of("resizer.renditions.thumb.format", "png")).lookup("images", "a.jpg");

        lookup.inOwnFormat(new ETag("e1"));
        Plan plan = lookup.afterInspect(new ETag("e1"), JPEG_800x600);

        assertEquals(List.of("HEAD processed/large/a.jpg", "HEAD processed/small/a.jpg", "HEAD processed/thumb/a.jpg",
                "HEAD processed/manifest/a.jpg.json", "HEAD processed/thumb/a.jpg.png"), store.requests());
        assertEquals("thumb/a.jpg.png", plan.missing().get("thumb"), "the key of the planned format");
        assertEquals(List.of("large", "small", "thumb"), plan.targets().stream().map(t -> t.spec().name()).toList());
    }

    @Test
    void theSameStoredRenditionsAreCurrentBeforeAndAfterInspection() {
        storedAll("e1");
        CurrentRenditions.Lookup lookup = current(Map.of()).lookup("images", "a.jpg");

        Plan before = lookup.inOwnFormat(new ETag("e1"));
        Plan after = lookup.afterInspect(new ETag("e1"), JPEG_800x600);

        assertEquals(before.current(), after.current());
        assertTrue(after.complete());
    }

    @Test
    void aPlanDecodesForTheStillsToMakeOrForEveryRendition() {
        CurrentRenditions.Lookup lookup = current(Map.of()).lookup("images", "a.jpg");
        Plan all = lookup.afterInspect(new ETag("e1"), JPEG_800x600);
        storedAll("e1");
        store.remove("processed", "manifest/a.jpg.json");
        Plan manifestOnly = current(Map.of()).lookup("images", "a.jpg").afterInspect(new ETag("e1"), JPEG_800x600);

        assertEquals(all.targets(), all.stills());
        assertEquals(all.targets(), all.toDecode());
        assertEquals(List.<Target>of(), manifestOnly.stills());
        assertEquals(manifestOnly.targets(), manifestOnly.toDecode(), "for the placeholder");
        assertEquals(List.<Target>of(), all.animated());
    }

    @Test
    void withSeveralSourceBucketsTheBucketIsPartOfEveryKey() {
        Plan plan = current(Map.of("resizer.source.buckets", "images,avatars")).lookup("images", "a.jpg").inOwnFormat(new ETag("e1"));

        assertEquals("thumb/images/a.jpg", plan.missing().get("thumb"));
        assertEquals(Optional.of("manifest/images/a.jpg.json"), plan.manifestKey());
    }
}
