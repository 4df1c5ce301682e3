package dev.imageresizer.storage;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.imageresizer.failure.Failure;

/**
 * What the pipeline does with the object store, and no more: implemented over S3 by {@link ObjectStore}, and in memory
 * by the pipeline's unit tests. Every method throws {@link Failure.Transient} when the store is unreachable.
 */
public interface Storage {

    /**
     * Downloads an object, refusing one larger than {@code maxBytes} before reading its content.
     *
     * @return empty when the object (or its bucket) no longer exists; the caller closes the original
     * @throws Failure.Rejected ({@code toolarge}) when it is larger than {@code maxBytes}
     */
    Optional<Original> fetch(String bucket, String key, long maxBytes, long inMemoryBytes);

    /** Describes several objects at once; an object that does not exist maps to empty. */
    Map<String, Optional<StoredObject>> statAll(String bucket, List<String> keys);

    /** Starts storing an object, creating its bucket on first use; {@link #awaitAll} waits for it. */
    ObjectStore.Pending putAsync(String bucket, ObjectStore.Put put);

    /** Waits for every PUT; fails with the first failure once all have ended. */
    void awaitAll(List<ObjectStore.Pending> pending);

    /**
     * Copies an object within the store (no download), replacing its user metadata with {@code metadata}.
     *
     * @return false when the source no longer exists
     */
    boolean copy(String fromBucket, String fromKey, String toBucket, String toKey, Map<String, String> metadata);

    /**
     * Deletes an object if it still has this ETag.
     *
     * @return whether it was deleted
     */
    boolean deleteIfUnchanged(String bucket, String key, ETag eTag);
}
