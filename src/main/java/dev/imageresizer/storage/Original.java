package dev.imageresizer.storage;

import java.util.Map;
import java.util.Objects;

import dev.imageresizer.imaging.ImageData;

/**
 * A downloaded original: its content and the ETag of exactly that content, its user metadata ({@code x-amz-meta-*},
 * names without the prefix, lower case) and the headers a rendition may inherit ({@code Cache-Control},
 * {@code Content-Disposition}, when set). Closing it deletes the temporary file a large original is kept in.
 */
public record Original(String bucket, String key, ETag eTag, ImageData data, Map<String, String> metadata, Map<String, String> headers)
        implements AutoCloseable {

    public Original {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(eTag, "eTag");
        Objects.requireNonNull(data, "data");
        metadata = Map.copyOf(metadata);
        headers = Map.copyOf(headers);
    }

    public Original(String bucket, String key, ETag eTag, ImageData data) {
        this(bucket, key, eTag, data, Map.of(), Map.of());
    }

    @Override
    public void close() {
        data.close();
    }
}
