package dev.imageresizer.event;

import java.util.Objects;

import dev.imageresizer.storage.ETag;

/**
 * One record of a bucket notification: what happened to which object.
 *
 * @param eventName the S3 event name without the {@code s3:} prefix MinIO adds, e.g. {@code ObjectCreated:Put}
 * @param bucket the bucket name
 * @param key the object name, decoded (MinIO and S3 send it form-encoded)
 * @param eTag the object's ETag, or {@code null} when the event has none (removals)
 * @param size the object size in bytes, or {@code null} when the event has none (removals, empty objects)
 */
public record ObjectEvent(String eventName, String bucket, String key, ETag eTag, Long size) {

    public ObjectEvent {
        Objects.requireNonNull(eventName, "eventName");
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
    }

    /** {@code bucket/key}, as MinIO writes the record key; for logs (the key is checked when decoded, the bucket is not). */
    public String path() {
        return UntrustedText.printable(bucket) + "/" + key;
    }
}
