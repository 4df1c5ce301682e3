package dev.imageresizer.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * One object as a listing describes it: no content type or metadata (those take a HEAD each).
 *
 * @param eTag its ETag, or {@code null} when the store lists none (S3 and MinIO always do)
 */
public record ListedObject(String key, ETag eTag, long size, Instant lastModified) {

    public ListedObject {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(lastModified, "lastModified");
    }
}
