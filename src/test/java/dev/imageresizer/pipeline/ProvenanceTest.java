package dev.imageresizer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.imageresizer.pipeline.StoredRenditions.Source;
import dev.imageresizer.storage.StoredObject;

/** The metadata that names an original, and the test of "made from it". */
class ProvenanceTest {

    private static final Source SOURCE = new Source("images", "dir/ä b.jpg", "e1");

    @Test
    void theKeyIsFormEncodedAsInTheNotification() {
        assertEquals(Map.of("source-bucket", "images", "source-key", "dir%2F%C3%A4+b.jpg", "source-etag", "e1"), Provenance.of(SOURCE));
    }

    @Test
    void madeFromTheSameBucketKeyAndETagOnly() {
        Map<String, String> metadata = new HashMap<>(Provenance.of(SOURCE));
        metadata.put("width", "10");
        assertTrue(Provenance.madeFrom(SOURCE, new StoredObject("processed", "k", 1, "image/jpeg", metadata)));

        for (Source other : new Source[] { new Source("avatars", SOURCE.key(), "e1"), new Source("images", "dir/a b.jpg", "e1"),
                new Source("images", SOURCE.key(), "e2") }) {
            assertFalse(Provenance.madeFrom(other, new StoredObject("processed", "k", 1, "image/jpeg", metadata)), other.toString());
        }
        assertFalse(Provenance.madeFrom(SOURCE, new StoredObject("processed", "k", 1, "image/jpeg", Map.of())));
    }
}
