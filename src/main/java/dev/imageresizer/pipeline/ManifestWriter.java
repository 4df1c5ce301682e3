package dev.imageresizer.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.imaging.ImageInfo;
import dev.imageresizer.imaging.Placeholder;
import dev.imageresizer.pipeline.StoredRenditions.Rendition;
import dev.imageresizer.pipeline.StoredRenditions.Source;
import dev.imageresizer.storage.ObjectStore;
import dev.imageresizer.storage.Storage;

/**
 * Stores an original's {@link Manifest} ({@code resizer.manifest.*}) in the destination bucket, as JSON, with the
 * {@link Provenance} of the original (by which the next event finds it current) and the configured
 * {@code Cache-Control}. Where it goes is {@link CurrentRenditions}'s to say, as it is for the renditions.
 */
final class ManifestWriter {

    private final Storage store;
    private final String destination;
    private final Optional<String> cacheControl;
    private final ObjectMapper json;

    ManifestWriter(Storage store, String destination, Optional<String> cacheControl, ObjectMapper json) {
        this.store = store;
        this.destination = destination;
        this.cacheControl = cacheControl;
        this.json = json;
    }

    static ManifestWriter of(ResizerConfig config, Storage store, ObjectMapper json) {
        return new ManifestWriter(store, config.destination().bucket(), config.destination().cacheControl(), json);
    }

    /**
     * Stores the manifest at {@code key} and waits for it: call it once the renditions are stored, so a manifest only
     * ever lists renditions that exist.
     *
     * @param info the inspected original (its upright size and format)
     * @param renditions every rendition, by name
     */
    void write(String key, Source source, ImageInfo info, List<Rendition> renditions, Placeholder placeholder) {
        Manifest manifest = new Manifest(new Manifest.Source(source.bucket(), source.key(), source.etag(), info.displayWidth(),
                info.displayHeight(), info.format().contentType), renditions, placeholder);
        store.awaitAll(List.of(store.putAsync(destination, new ObjectStore.Put(key, json(manifest), "application/json",
                Provenance.of(source), cacheControl.map(value -> Map.of("Cache-Control", value)).orElse(Map.of())))));
    }

    private byte[] json(Manifest manifest) {
        try {
            return json.writeValueAsBytes(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the manifest of " + manifest.source().key() + " cannot be written as JSON", e);
        }
    }
}
