package dev.imageresizer.pipeline;

import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.storage.ETag;
import dev.imageresizer.storage.Storage;

/**
 * With {@code resizer.source.delete-original} (Firebase's {@code on_success}): the original goes once its renditions and
 * manifest are stored and announced, and only if it is still the content they were made from. A refused original never
 * gets here, so it is never deleted.
 */
final class OriginalCleanup {

    private final Storage store;
    private final boolean deleteOriginal;

    OriginalCleanup(Storage store, boolean deleteOriginal) {
        this.store = store;
        this.deleteOriginal = deleteOriginal;
    }

    static OriginalCleanup of(ResizerConfig config, Storage store) {
        return new OriginalCleanup(store, config.source().deleteOriginal());
    }

    /** Call once {@code announced} is stored and announced. */
    void afterAnnounced(StoredRenditions announced) {
        if (deleteOriginal) {
            store.deleteIfUnchanged(announced.source().bucket(), announced.source().key(), new ETag(announced.source().etag()));
        }
    }
}
