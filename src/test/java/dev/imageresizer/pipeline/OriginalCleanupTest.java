package dev.imageresizer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.imageresizer.pipeline.StoredRenditions.Source;
import dev.imageresizer.support.InMemoryStorage;

/** delete-original: the original announced goes, a newer upload under its key stays. */
class OriginalCleanupTest {

    private final InMemoryStorage store = new InMemoryStorage();

    private static StoredRenditions announced(String eTag) {
        return new StoredRenditions(new Source("images", "a.jpg", eTag), List.of(), 0, "imageio");
    }

    @Test
    void deletesTheOriginalItWasAnnouncedFor() {
        String eTag = store.upload("images", "a.jpg", new byte[] { 1 }, "image/jpeg");

        new OriginalCleanup(store, true).afterAnnounced(announced(eTag));

        assertFalse(store.exists("images", "a.jpg"));
    }

    @Test
    void keepsANewerUploadUnderTheKey() {
        String first = store.upload("images", "a.jpg", new byte[] { 1 }, "image/jpeg");
        store.upload("images", "a.jpg", new byte[] { 2 }, "image/jpeg");

        new OriginalCleanup(store, true).afterAnnounced(announced(first));

        assertTrue(store.exists("images", "a.jpg"));
    }

    @Test
    void deletesNothingUnlessAsked() {
        String eTag = store.upload("images", "a.jpg", new byte[] { 1 }, "image/jpeg");

        new OriginalCleanup(store, false).afterAnnounced(announced(eTag));

        assertEquals(List.of(), store.requests());
    }
}
