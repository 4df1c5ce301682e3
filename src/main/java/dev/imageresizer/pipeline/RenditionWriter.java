package dev.imageresizer.pipeline;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.imaging.FocalPoint;
import dev.imageresizer.imaging.ImageInfo;
import dev.imageresizer.imaging.Imaging;
import dev.imageresizer.imaging.Rendered;
import dev.imageresizer.pipeline.StoredRenditions.Rendition;
import dev.imageresizer.storage.ObjectStore;
import dev.imageresizer.storage.Original;
import dev.imageresizer.storage.Storage;
import io.quarkus.logging.Log;

/**
 * Renders the renditions a {@link Plan} lacks and stores them under their keys, each sent as soon as it is encoded while
 * the next is rendered, with what {@link RenditionMetadata} says they carry. Animated renditions
 * ({@code resizer.animation=keep}) are made frame by frame from the original itself. {@code cover} renditions are cut
 * around the original's focal point ({@link FocusMetadata}) when it has one. When rendering fails, the stores
 * under way are cancelled.
 */
final class RenditionWriter {

    private final Storage store;
    private final String destination;
    private final RenditionMetadata metadata;
    private final PipelineMetrics metrics;

    RenditionWriter(Storage store, String destination, RenditionMetadata metadata, PipelineMetrics metrics) {
        this.store = store;
        this.destination = destination;
        this.metadata = metadata;
        this.metrics = metrics;
    }

    static RenditionWriter of(ResizerConfig config, Storage store, PipelineMetrics metrics) {
        return new RenditionWriter(store, config.destination().bucket(), RenditionMetadata.of(config), metrics);
    }

    /**
     * Ends the {@code render} step once every rendition is encoded; returns once every one is stored.
     *
     * @param decoded the original, decoded for {@link Plan#toDecode()}
     * @return the renditions written, in the order they were made
     */
    List<Rendition> write(Imaging imaging, Original original, ImageInfo info, BufferedImage decoded, Plan plan, StepTimes times) {
        List<ObjectStore.Pending> stores = new ArrayList<>();
        List<Rendered> rendered;
        try {
            long[] last = { System.nanoTime() };
            Consumer<Rendered> send = r -> {
                long now = System.nanoTime();
                metrics.rendition(r.target().spec().name(), now - last[0], r.bytes().length);
                last[0] = now;
                stores.add(store.putAsync(destination, metadata.put(plan.key(r.target()), original, r)));
            };
            rendered = new ArrayList<>(imaging.render(decoded, info, focus(original), plan.stills(), send));
            if (!plan.animated().isEmpty()) {
                rendered.addAll(imaging.renderAnimated(original.data(), info, plan.animated(), send));
            }
        } catch (RuntimeException e) {
            stores.forEach(ObjectStore.Pending::cancel);
            throw e;
        }
        times.done("render");
        List<Rendition> written = rendered.stream().map(r -> new Rendition(r.target().spec().name(), destination, plan.key(r.target()),
                r.width(), r.height(), r.bytes().length, r.contentType())).toList();
        store.awaitAll(stores);
        return written;
    }

    /** The uploader's focal point; metadata that is not one is logged and ignored, never a reason to refuse the image. */
    private static Optional<FocalPoint> focus(Original original) {
        FocusMetadata focus = FocusMetadata.read(original.metadata());
        focus.problem().ifPresent(problem -> Log.warnf("%s/%s: focal point ignored, renditions cut by their crop strategy: %s",
                original.bucket(), original.key(), problem));
        return focus.point();
    }
}
