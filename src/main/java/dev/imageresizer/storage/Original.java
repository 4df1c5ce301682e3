package dev.imageresizer.storage;

import java.util.Objects;

import dev.imageresizer.imaging.ImageData;

/**
 * A downloaded original: its content and the ETag of exactly that content. Closing it deletes the temporary file a
 * large original is kept in.
 */
public record Original(String bucket, String key, String eTag, ImageData data) implements AutoCloseable {

    public Original {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(eTag, "eTag");
        Objects.requireNonNull(data, "data");
    }

    @Override
    public void close() {
        data.close();
    }
}
