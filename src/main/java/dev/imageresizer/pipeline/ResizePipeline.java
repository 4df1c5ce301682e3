package dev.imageresizer.pipeline;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.MDC;

import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.config.ResizerConfig.JpegCodec;
import dev.imageresizer.event.EventFilter;
import dev.imageresizer.event.NotificationParser;
import dev.imageresizer.event.ObjectEvent;
import dev.imageresizer.failure.Failure;
import dev.imageresizer.imaging.Heif;
import dev.imageresizer.imaging.ImageData;
import dev.imageresizer.imaging.ImageInfo;
import dev.imageresizer.imaging.Imaging;
import dev.imageresizer.imaging.Placeholder;
import dev.imageresizer.imaging.Rendered;
import dev.imageresizer.imaging.RenditionSpec;
import dev.imageresizer.imaging.TurboJpeg;
import dev.imageresizer.pipeline.EventResult.Ignored;
import dev.imageresizer.pipeline.StoredRenditions.Rendition;
import dev.imageresizer.storage.Original;
import dev.imageresizer.storage.Storage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;

/**
 * The one pipeline both entry points call. Per notification record:
 * <ol>
 * <li><b>decide</b> whether the record asks for renditions ({@link EventFilter});</li>
 * <li><b>plan</b>: renditions already stored for the same ETag are kept, and when all are, nothing is downloaded (one
 * concurrent lookup, {@link CurrentRenditions});</li>
 * <li><b>fetch</b> the original, bounded by {@code resizer.limits.max-source-size}; a large one goes to a temporary file;</li>
 * <li><b>inspect</b> it: magic bytes, header size, pixel limit, orientation, no decode; then plan again, at the keys of
 * the renditions' formats;</li>
 * <li><b>decode</b> it once, scaled to what the renditions need (libjpeg-turbo for JPEG when installed, libheif for
 * HEIC/AVIF, else ImageIO);</li>
 * <li><b>render and store</b> each missing rendition under its deterministic key, each sent while the next is rendered
 * ({@link RenditionWriter}, with {@link RenditionMetadata});</li>
 * <li><b>manifest</b>: then the manifest, when missing or stale ({@link ManifestWriter});</li>
 * <li><b>announce</b> the result ({@link Announcer});</li>
 * <li><b>clean up</b>: with {@code delete-original}, the original goes ({@link OriginalCleanup}).</li>
 * </ol>
 * A refused record is logged (WARN, with the event id and key), kept under {@code failed-prefix} when configured
 * ({@link RefusedOriginals}) and recorded on the failure topic with its reason. Failures are {@link Failure.Rejected}
 * (never retried) or {@link Failure.Transient} (retried); each caller maps them to its own transport.
 */
@Startup
@ApplicationScoped
public class ResizePipeline {

    private final Storage store;
    private final Announcer announcer;
    private final PipelineMetrics metrics;
    private final Tracer tracer;
    private final List<RenditionSpec> renditions;
    private final EventFilter filter;
    private final long maxSourceBytes;
    private final long inMemoryBytes;
    private final ResizerConfig.Limits limits;
    private final ResizerConfig.Jpeg jpeg;
    private final ResizerConfig.Heif heifConfig;
    private final CurrentRenditions currentRenditions;
    private final RenditionWriter renditionWriter;
    private final ManifestWriter manifestWriter;
    private final RefusedOriginals refusedOriginals;
    private final OriginalCleanup originalCleanup;
    /** Made on first use (the warm-up thread's, normally): probing libjpeg-turbo initialises AWT, off the startup path. */
    private volatile Imaging imaging;
    private final ReentrantLock[] objectLocks = new ReentrantLock[256];

    @Inject
    ResizePipeline(ResizerConfig config, Storage store, Announcer announcer, PipelineMetrics metrics, Tracer tracer, ObjectMapper json) {
        this(config, ConfigProvider.getConfig(), store, announcer, metrics, tracer, json);
    }

    /** @param connections where the object store's connection ({@code quarkus.minio.*}) is configured */
    ResizePipeline(ResizerConfig config, Config connections, Storage store, Announcer announcer, PipelineMetrics metrics, Tracer tracer,
            ObjectMapper json) {
        this.renditions = ConfigCheck.validate(config);
        ConfigCheck.requireObjectStore(connections);
        this.store = store;
        this.announcer = announcer;
        this.metrics = metrics;
        this.tracer = tracer;
        this.filter = new EventFilter(new HashSet<>(config.source().buckets()), config.source().includePrefixes().orElse(List.of()),
                config.source().excludePrefixes().orElse(List.of()), config.destination().bucket(),
                config.destination().prefix().orElse(""), config.destination().failedPrefix());
        this.maxSourceBytes = config.limits().maxSourceSize().asLongValue();
        this.inMemoryBytes = config.limits().inMemorySize().asLongValue();
        this.limits = config.limits();
        this.jpeg = config.jpeg();
        this.heifConfig = config.heif();
        if (renditions.stream().anyMatch(spec -> spec.format() == ResizerConfig.OutputFormat.AVIF)) {
            // an avif rendition without libheif refuses startup; otherwise libheif is probed with the other codecs
            ConfigCheck.requireAvifEncoder(renditions, heif());
        }
        this.currentRenditions = CurrentRenditions.of(config, renditions, store);
        this.renditionWriter = RenditionWriter.of(config, store, metrics);
        this.manifestWriter = ManifestWriter.of(config, store, json);
        this.refusedOriginals = RefusedOriginals.of(config, store);
        this.originalCleanup = OriginalCleanup.of(config, store);
        Arrays.setAll(objectLocks, i -> new ReentrantLock());
    }

    private Imaging imaging() {
        Imaging result = imaging;
        if (result == null) {
            synchronized (this) {
                if (imaging == null) {
                    TurboJpeg.Probe jpegCodec = TurboJpeg.probe(jpeg.turbojpegJar(), jpeg.codec() == JpegCodec.AUTO);
                    Log.infof("JPEG codec: %s", jpegCodec.description());
                    Heif.Probe heif = heif();
                    Log.infof("HEIC/AVIF codec: %s", heif.description());
                    imaging = new Imaging(limits.maxSourceMegapixels() * 1_000_000L, limits.maxFrames(), limits.decodeTimeout(), jpegCodec, heif);
                }
                result = imaging;
            }
        }
        return result;
    }

    private Heif.Probe heif() {
        return Heif.probe(heifConfig.library(), heifConfig.avifSpeed(), heifConfig.maxMegapixels() * 1_000_000L);
    }

    /** Inspects an image and renders all its renditions, storing nothing: how the warm-up exercises the imaging steps. */
    List<Rendered> renderAll(byte[] image) {
        return imaging().renderAll(ImageData.of(image), renditions);
    }

    /**
     * Processes one bucket notification. Every record is attempted; a rejected record does not cost the others.
     *
     * @param eventId the id to log (the CloudEvent id, or the Kafka partition and offset)
     * @throws Failure.Rejected when the notification or one of its images is bad (after the other records are done)
     * @throws Failure.Transient when the object store or Kafka is unreachable
     */
    public EventResult handle(String eventId, byte[] payload) {
        MDC.put("eventId", eventId);
        try {
            return handleRecords(eventId, payload);
        } finally {
            MDC.remove("eventId");
            MDC.remove("object");
        }
    }

    private EventResult handleRecords(String eventId, byte[] payload) {
        WarmUp.eventArrived();
        metrics.notificationReceived();
        List<ObjectEvent> events;
        try {
            events = NotificationParser.parse(payload);
        } catch (Failure.Rejected e) {
            metrics.rejected(e.reason());
            Log.warnf("%s rejected [%s]: %s", eventId, e.reason().code, e.getMessage());
            announcer.announce(Rejection.of(eventId, null, null, null, e));
            throw e;
        }
        return handleEvents(eventId, events);
    }

    /**
     * Processes one object as if its upload had just been notified: how a backfill walks a bucket. Renditions already
     * stored for its ETag are kept, so this costs one lookup for an object that is done.
     *
     * @throws Failure.Rejected when it is not an image the limits let through
     * @throws Failure.Transient when the object store or Kafka is unreachable
     */
    public EventResult handle(String eventId, ObjectEvent event) {
        MDC.put("eventId", eventId);
        try {
            return handleEvents(eventId, List.of(event));
        } finally {
            MDC.remove("eventId");
            MDC.remove("object");
        }
    }

    private EventResult handleEvents(String eventId, List<ObjectEvent> events) {
        List<StoredRenditions> stored = new ArrayList<>();
        List<Ignored> ignored = new ArrayList<>();
        Failure.Rejected firstRejection = null;
        for (ObjectEvent event : events) {
            MDC.put("object", event.path());
            EventFilter.Decision decision = filter.decide(event);
            if (!decision.acts()) {
                metrics.ignored();
                Log.debugf("%s %s ignored: %s", eventId, event.path(), decision.reason());
                ignored.add(new Ignored(event.bucket(), event.key(), event.eventName(), decision.reason()));
                continue;
            }
            // one span per record, under the caller's (the HTTP request's, continuing the CloudEvent's traceparent)
            Span span = tracer.spanBuilder("resize").setAttribute("resizer.event.id", eventId)
                    .setAttribute("aws.s3.bucket", event.bucket()).setAttribute("aws.s3.key", event.key()).startSpan();
            try (Scope scope = span.makeCurrent()) {
                process(eventId, event).ifPresentOrElse(stored::add,
                        () -> ignored.add(new Ignored(event.bucket(), event.key(), event.eventName(), "object no longer exists")));
            } catch (Failure.Transient e) {
                metrics.retried();
                span.setStatus(StatusCode.ERROR, e.getMessage());
                throw e;
            } catch (Failure.Rejected e) {
                metrics.rejected(e.reason());
                span.setStatus(StatusCode.ERROR, "rejected: " + e.reason().code).setAttribute("resizer.rejection", e.reason().code);
                Log.warnf("%s %s rejected [%s]: %s", eventId, event.path(), e.reason().code, e.getMessage());
                refusedOriginals.keep(event, e.reason());
                announcer.announce(Rejection.of(eventId, event.bucket(), event.key(), event.eTag(), e));
                firstRejection = firstRejection == null ? e : firstRejection;
            } finally {
                span.end();
            }
        }
        if (firstRejection != null) {
            throw firstRejection;
        }
        return new EventResult(stored, ignored);
    }

    /**
     * One event per object at a time, whatever the entry point's concurrency: each event renders the object's current
     * content, so two events for one key in either order leave the renditions of the newest upload, and the second
     * finds them current. (Different keys may share a lock stripe; they then only wait for each other.)
     */
    private Optional<StoredRenditions> process(String eventId, ObjectEvent event) {
        ReentrantLock lock = objectLocks[Math.floorMod(event.path().hashCode(), objectLocks.length)];
        lock.lock();
        try {
            return processAlone(eventId, event);
        } finally {
            lock.unlock();
        }
    }

    private Optional<StoredRenditions> processAlone(String eventId, ObjectEvent event) {
        StepTimes times = new StepTimes(metrics, tracer);
        CurrentRenditions.Lookup lookup = currentRenditions.lookup(event.bucket(), event.key());
        if (event.eTag() != null) { // renditions stored for this ETag in the original's own format need no download at all
            Plan announced = lookup.inOwnFormat(event.eTag());
            times.done("lookup");
            if (announced.complete()) {
                return Optional.of(announceAndCleanUp(eventId, event, announced.stored(List.of(), jpegCodec()), times, "unchanged"));
            }
        }
        Optional<Original> fetched = store.fetch(event.bucket(), event.key(), maxSourceBytes, inMemoryBytes);
        times.done("fetch");
        if (fetched.isEmpty()) {
            return gone(eventId, event);
        }
        try (Original original = fetched.get()) {
            metrics.original(original.data().size());
            ImageInfo info = imaging().inspect(original.data());
            Plan plan = lookup.afterInspect(original.eTag(), info);
            times.done("inspect");
            List<Rendition> written = new ArrayList<>();
            if (!plan.complete()) {
                BufferedImage decoded = imaging().decode(original.data(), info, plan.toDecode());
                times.done("decode");
                Optional<Placeholder> placeholder = plan.manifestKey().map(key -> imaging().placeholder(decoded, info));
                written.addAll(renditionWriter.write(imaging(), original, info, decoded, plan, times)); // render, and store
                plan.manifestKey().ifPresent(key -> manifestWriter.write(key, plan.source(), info, plan.with(written), placeholder.get()));
                times.done("store");
            }
            return Optional.of(announceAndCleanUp(eventId, event, plan.stored(written, jpegCodec()), times, summary(info)));
        }
    }

    private Optional<StoredRenditions> gone(String eventId, ObjectEvent event) {
        metrics.ignored();
        Log.infof("%s %s ignored: the object no longer exists", eventId, event.path());
        return Optional.empty();
    }

    private static String summary(ImageInfo info) {
        return String.format("%s %dx%d", info.format(), info.displayWidth(), info.displayHeight());
    }

    private String jpegCodec() {
        return imaging().jpegCodec().name();
    }

    private StoredRenditions announceAndCleanUp(String eventId, ObjectEvent event, StoredRenditions result, StepTimes times, String what) {
        announcer.announce(result);
        times.done("announce");
        if (result.written() > 0) {
            metrics.processed();
        } else {
            metrics.unchanged();
        }
        Log.infof("%s %s: %d renditions written, %d already current (%s) in %d ms (%s)", eventId, event.path(), result.written(),
                result.renditions().size() - result.written(), what, times.totalMillis(), times);
        originalCleanup.afterAnnounced(result);
        return result;
    }
}
