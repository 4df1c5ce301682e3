package dev.imageresizer.storage;

import java.util.Map;

/**
 * An object's description as the store reports it, without its content.
 *
 * @param metadata user metadata without the {@code x-amz-meta-} prefix; keys are lower case
 */
public record StoredObject(String bucket, String key, long size, String contentType, Map<String, String> metadata) {

    public StoredObject {
        metadata = Map.copyOf(metadata);
    }
}
