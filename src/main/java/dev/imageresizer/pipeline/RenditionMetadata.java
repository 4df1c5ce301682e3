package dev.imageresizer.pipeline;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.imaging.Rendered;
import dev.imageresizer.pipeline.StoredRenditions.Source;
import dev.imageresizer.storage.ObjectStore;
import dev.imageresizer.storage.Original;

/**
 * What a stored rendition carries besides its pixels, as Firebase's extension does: the original's user metadata
 * ({@code resizer.destination.copy-metadata}, unless the total would pass S3's 2 KB, which would refuse every PUT),
 * then ours, which win ({@link Provenance} and the rendition's size); the original's {@code Content-Disposition} (when
 * copied); {@code Cache-Control} as configured ({@code resizer.destination.cache-control}), else the original's (when
 * copied).
 *
 * @param copyMetadata whether the original's metadata and headers are copied
 * @param cacheControl the configured {@code Cache-Control}, if any
 */
record RenditionMetadata(boolean copyMetadata, Optional<String> cacheControl) {

    static final String WIDTH = "width";
    static final String HEIGHT = "height";
    /** S3's limit on the user metadata of one object (names and values). */
    static final int MAX_USER_METADATA_BYTES = 2048;

    static RenditionMetadata of(ResizerConfig config) {
        return new RenditionMetadata(config.destination().copyMetadata(), config.destination().cacheControl());
    }

    /** How {@code rendered}, made from {@code original}, is stored at {@code key}. */
    ObjectStore.Put put(String key, Original original, Rendered rendered) {
        return new ObjectStore.Put(key, rendered.bytes(), rendered.contentType(), metadata(original, rendered), headers(original));
    }

    /** User metadata: the original's (when copied and the total stays within 2 KB), then ours. */
    Map<String, String> metadata(Original original, Rendered rendered) {
        Map<String, String> ours = new HashMap<>(Provenance.of(new Source(original.bucket(), original.key(), original.eTag())));
        ours.put(WIDTH, Integer.toString(rendered.width()));
        ours.put(HEIGHT, Integer.toString(rendered.height()));
        if (!copyMetadata || original.metadata().isEmpty()) {
            return ours;
        }
        Map<String, String> merged = new HashMap<>(original.metadata());
        merged.putAll(ours);
        long size = merged.entrySet().stream().mapToLong(e -> e.getKey().length() + e.getValue().length()).sum();
        return size <= MAX_USER_METADATA_BYTES ? merged : ours;
    }

    /** Cache-Control (configured, else the original's when copied) and the original's Content-Disposition (when copied). */
    Map<String, String> headers(Original original) {
        Map<String, String> headers = new HashMap<>();
        if (copyMetadata) {
            headers.putAll(original.headers());
        }
        cacheControl.ifPresent(value -> headers.put("Cache-Control", value));
        return headers;
    }
}
