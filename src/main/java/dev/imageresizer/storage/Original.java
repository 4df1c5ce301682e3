package dev.imageresizer.storage;

import java.util.Objects;

/** A downloaded original: its bytes and the ETag of exactly those bytes. */
public record Original(String bucket, String key, String eTag, byte[] bytes) {

    public Original {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(eTag, "eTag");
        Objects.requireNonNull(bytes, "bytes");
    }
}
