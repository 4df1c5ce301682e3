package dev.imageresizer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.imageresizer.imaging.ImageFormat;
import dev.imageresizer.imaging.ImageInfo;
import dev.imageresizer.imaging.Placeholder;
import dev.imageresizer.pipeline.StoredRenditions.Rendition;
import dev.imageresizer.pipeline.StoredRenditions.Source;
import dev.imageresizer.support.InMemoryStorage;

/** The manifest as stored: JSON of the upright original and its renditions, the original's provenance, the Cache-Control. */
class ManifestWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Source SOURCE = new Source("images", "a.jpg", "e1");
    // stored 1200x1800, EXIF orientation 6: upright 1800x1200
    private static final ImageInfo ROTATED = new ImageInfo(ImageFormat.JPEG, 1200, 1800, 6, false);
    private static final List<Rendition> RENDITIONS = List.of(new Rendition("thumb", "processed", "thumb/a.jpg", 150, 150, 4000, "image/jpeg"));

    private final InMemoryStorage store = new InMemoryStorage();

    @Test
    void writesTheUprightSourceItsRenditionsAndPlaceholder() throws Exception {
        new ManifestWriter(store, "processed", Optional.empty(), JSON).write("manifest/a.jpg.json", SOURCE, ROTATED, RENDITIONS,
                new Placeholder("AAAA", "#102030"));

        InMemoryStorage.StoredBytes stored = store.get("processed", "manifest/a.jpg.json").orElseThrow();
        assertEquals("application/json", stored.contentType());
        assertEquals(Map.of("source-bucket", "images", "source-key", "a.jpg", "source-etag", "e1"), stored.metadata());
        assertEquals(Map.of(), stored.headers());
        JsonNode manifest = JSON.readTree(stored.content());
        assertEquals(JSON.readTree("""
                {"source": {"bucket": "images", "key": "a.jpg", "etag": "e1", "width": 1800, "height": 1200, "contentType": "image/jpeg"},
                 "renditions": [{"name": "thumb", "bucket": "processed", "key": "thumb/a.jpg", "width": 150, "height": 150,
                                 "bytes": 4000, "contentType": "image/jpeg"}],
                 "placeholder": {"thumbHash": "AAAA", "dominantColor": "#102030"}}"""), manifest);
    }

    @Test
    void carriesTheConfiguredCacheControl() {
        new ManifestWriter(store, "processed", Optional.of("max-age=60"), JSON).write("manifest/a.jpg.json", SOURCE, ROTATED, RENDITIONS,
                new Placeholder("AAAA", "#102030"));

        assertEquals(Map.of("Cache-Control", "max-age=60"), store.get("processed", "manifest/a.jpg.json").orElseThrow().headers());
    }
}
