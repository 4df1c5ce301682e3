package dev.imageresizer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.imageresizer.storage.ETag;
import dev.imageresizer.config.ResizerConfig.Fit;
import dev.imageresizer.config.ResizerConfig.OutputFormat;
import dev.imageresizer.imaging.Geometry.Frame;
import dev.imageresizer.imaging.ImageData;
import dev.imageresizer.imaging.ImageFormat;
import dev.imageresizer.imaging.Rendered;
import dev.imageresizer.imaging.RenditionSpec;
import dev.imageresizer.imaging.Target;
import dev.imageresizer.storage.ObjectStore;
import dev.imageresizer.storage.Original;

/** What a rendition carries: ours always, the original's metadata within S3's 2 KB, Cache-Control configured or inherited. */
class RenditionMetadataTest {

    private static final Rendered THUMB = new Rendered(new Target(new RenditionSpec("thumb", 150, 150, Fit.COVER, OutputFormat.SAME, 85),
            new Frame(150, 100, 150, 100), ImageFormat.JPEG), new byte[] { 1, 2, 3 });
    private static final Map<String, String> OURS = Map.of("source-bucket", "images", "source-key", "a+b.jpg", "source-etag", "e1",
            "width", "150", "height", "100");

    private static Original original(Map<String, String> metadata, Map<String, String> headers) {
        return new Original("images", "a b.jpg", new ETag("e1"), ImageData.of(new byte[0]), metadata, headers);
    }

    @Test
    void oursAlwaysAndWinOverTheOriginals() {
        Map<String, String> expected = new HashMap<>(OURS);
        expected.put("owner", "alice");

        assertEquals(expected, new RenditionMetadata(true, Optional.empty()).metadata(original(Map.of("owner", "alice", "width", "9"), Map.of()), THUMB));
        assertEquals(OURS, new RenditionMetadata(false, Optional.empty()).metadata(original(Map.of("owner", "alice"), Map.of()), THUMB));
    }

    @Test
    void theOriginalsAreCopiedUpToTwoKilobytesInAll() {
        int ours = OURS.entrySet().stream().mapToInt(e -> e.getKey().length() + e.getValue().length()).sum();
        String fits = "x".repeat(RenditionMetadata.MAX_USER_METADATA_BYTES - ours - "notes".length());
        RenditionMetadata copying = new RenditionMetadata(true, Optional.empty());

        assertEquals(fits, copying.metadata(original(Map.of("notes", fits), Map.of()), THUMB).get("notes"), "exactly 2048 bytes");
        assertEquals(OURS, copying.metadata(original(Map.of("notes", fits + "x"), Map.of()), THUMB), "one byte more: none of the original's");
    }

    @Test
    void cacheControlIsTheConfiguredOneElseTheOriginalsWhenCopied() {
        Original original = original(Map.of(), Map.of("Cache-Control", "no-cache", "Content-Disposition", "inline"));

        assertEquals(Map.of("Cache-Control", "max-age=60", "Content-Disposition", "inline"),
                new RenditionMetadata(true, Optional.of("max-age=60")).headers(original));
        assertEquals(Map.of("Cache-Control", "no-cache", "Content-Disposition", "inline"), new RenditionMetadata(true, Optional.empty()).headers(original));
        assertEquals(Map.of("Cache-Control", "max-age=60"), new RenditionMetadata(false, Optional.of("max-age=60")).headers(original));
        assertEquals(Map.of(), new RenditionMetadata(false, Optional.empty()).headers(original));
    }

    @Test
    void aPutCarriesTheRenditionAndAllOfThat() {
        ObjectStore.Put put = new RenditionMetadata(false, Optional.of("max-age=60")).put("thumb/a b.jpg", original(Map.of(), Map.of()), THUMB);

        assertEquals(new ObjectStore.Put("thumb/a b.jpg", THUMB.bytes(), "image/jpeg", OURS, Map.of("Cache-Control", "max-age=60")), put);
    }
}
