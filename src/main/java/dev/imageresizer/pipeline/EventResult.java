package dev.imageresizer.pipeline;

import java.util.List;

/**
 * What one bucket notification led to: the originals whose renditions are stored, and the records that were ignored.
 */
public record EventResult(List<StoredRenditions> stored, List<Ignored> ignored) {

    public EventResult {
        stored = List.copyOf(stored);
        ignored = List.copyOf(ignored);
    }

    /** A record that asked for nothing, and why. */
    public record Ignored(String bucket, String key, String eventName, String reason) {
    }
}
