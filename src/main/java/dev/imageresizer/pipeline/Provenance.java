package dev.imageresizer.pipeline;

import java.util.Map;

import dev.imageresizer.event.KeyEncoding;
import dev.imageresizer.pipeline.StoredRenditions.Source;
import dev.imageresizer.storage.StoredObject;

/**
 * Which original a stored object was made from, as user metadata on every rendition, manifest and failed-prefix copy:
 * its bucket, its key (form-encoded as in the notification: headers are ASCII) and its ETag. A rendition is current
 * when all three match the original's.
 */
final class Provenance {

    static final String SOURCE_BUCKET = "source-bucket";
    static final String SOURCE_KEY = "source-key";
    static final String SOURCE_ETAG = "source-etag";

    private Provenance() {
    }

    /** The user metadata naming {@code source}. */
    static Map<String, String> of(Source source) {
        return Map.of(SOURCE_BUCKET, source.bucket(), SOURCE_KEY, KeyEncoding.encode(source.key()), SOURCE_ETAG, source.etag());
    }

    /** Whether {@code object} was made from exactly this original (same bucket, key and ETag). */
    static boolean madeFrom(Source source, StoredObject object) {
        return of(source).entrySet().stream().allMatch(e -> e.getValue().equals(object.metadata().get(e.getKey())));
    }
}
