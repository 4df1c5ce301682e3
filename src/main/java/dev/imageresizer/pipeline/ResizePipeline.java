package dev.imageresizer.pipeline;

import dev.imageresizer.failure.Failure;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.MDC;

import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.event.EventFilter;
import dev.imageresizer.event.KeyEncoding;
import dev.imageresizer.event.NotificationParser;
import dev.imageresizer.event.ObjectEvent;
import dev.imageresizer.config.ResizerConfig.JpegCodec;
import dev.imageresizer.imaging.ImageData;
import dev.imageresizer.imaging.ImageFormat;
import dev.imageresizer.imaging.ImageInfo;
import dev.imageresizer.imaging.Imaging;
import dev.imageresizer.imaging.Placeholder;
import dev.imageresizer.imaging.Rendered;
import dev.imageresizer.imaging.TurboJpeg;
import dev.imageresizer.imaging.RenditionSpec;
import dev.imageresizer.imaging.Target;
import dev.imageresizer.pipeline.EventResult.Ignored;
import dev.imageresizer.pipeline.StoredRenditions.Rendition;
import dev.imageresizer.pipeline.StoredRenditions.Source;
import dev.imageresizer.storage.ETag;
import dev.imageresizer.storage.ObjectStore;
import dev.imageresizer.storage.Original;
import dev.imageresizer.storage.RenditionKeys;
import dev.imageresizer.storage.StoredObject;
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
 * <li><b>reuse</b> renditions already stored for the same ETag, without downloading (one concurrent lookup);</li>
 * <li><b>fetch</b> the original, bounded by {@code resizer.limits.max-source-size}; a large one goes to a temporary file;</li>
 * <li><b>inspect</b> it: magic bytes, header size, pixel limit, orientation, no decode;</li>
 * <li><b>decode</b> it once, scaled to what the renditions need (libjpeg-turbo for JPEG when installed, else ImageIO);</li>
 * <li><b>render</b> each missing rendition;</li>
 * <li><b>store</b> them under deterministic keys, all at once;</li>
 * <li><b>announce</b> the result.</li>
 * </ol>
 * A refused record is logged (WARN, with the event id and key) and recorded on the failure topic with its reason.
 * Failures are {@link Failure.Rejected} (never retried) or {@link Failure.Transient} (retried); each caller maps them to
 * its own transport.
 */
@Startup
@ApplicationScoped
public class ResizePipeline {

    static final String SOURCE_BUCKET = "source-bucket";
    static final String SOURCE_KEY = "source-key";
    static final String SOURCE_ETAG = "source-etag";
    static final String WIDTH = "width";
    static final String HEIGHT = "height";
    /** S3's limit on the user metadata of one object (names and values). */
    static final int MAX_USER_METADATA_BYTES = 2048;
    /** Refusals of an original that exists, which {@code failed-prefix} keeps. */
    private static final Set<Failure.Reason> KEPT_WHEN_REFUSED = EnumSet.of(Failure.Reason.NOT_AN_IMAGE, Failure.Reason.CORRUPT,
            Failure.Reason.UNSUPPORTED, Failure.Reason.TOO_LARGE);

    private final ObjectStore store;
    private final Announcer announcer;
    private final PipelineMetrics metrics;
    private final Tracer tracer;
    private final EventFilter filter;
    private final List<RenditionSpec> renditions;
    private final RenditionKeys keys;
    private final String destination;
    private final long maxSourceBytes;
    private final long inMemoryBytes;
    private final ResizerConfig.Limits limits;
    private final ResizerConfig.Jpeg jpeg;
    /** The manifest's key segment, or empty when manifests are off. */
    private final Optional<String> manifestName;
    private final ObjectMapper json;
    private final boolean copyMetadata;
    private final Optional<String> cacheControl;
    private final Optional<String> failedPrefix;
    private final boolean deleteOriginal;
    private final boolean keepAnimation;
    /** Made on first use (the warm-up thread's, normally): probing libjpeg-turbo initialises AWT, off the startup path. */
    private volatile Imaging imaging;
    private final ReentrantLock[] objectLocks = new ReentrantLock[256];

    ResizePipeline(ResizerConfig config, ObjectStore store, Announcer announcer, PipelineMetrics metrics, Tracer tracer,
            ObjectMapper json) {
        this.renditions = ConfigCheck.validate(config);
        ConfigCheck.requireObjectStore(ConfigProvider.getConfig());
        this.store = store;
        this.announcer = announcer;
        this.metrics = metrics;
        this.tracer = tracer;
        this.destination = config.destination().bucket();
        String prefix = config.destination().prefix().orElse("");
        this.filter = new EventFilter(new HashSet<>(config.source().buckets()), config.source().includePrefixes().orElse(List.of()),
                config.source().excludePrefixes().orElse(List.of()), destination, prefix, config.destination().failedPrefix());
        this.copyMetadata = config.destination().copyMetadata();
        this.cacheControl = config.destination().cacheControl();
        this.failedPrefix = config.destination().failedPrefix();
        this.deleteOriginal = config.source().deleteOriginal();
        this.keepAnimation = config.animation() == ResizerConfig.Animation.KEEP;
        this.keys = new RenditionKeys(prefix, config.source().buckets().size() > 1, config.destination().keyTemplate());
        this.maxSourceBytes = config.limits().maxSourceSize().asLongValue();
        this.inMemoryBytes = config.limits().inMemorySize().asLongValue();
        this.limits = config.limits();
        this.jpeg = config.jpeg();
        this.manifestName = config.manifest().enabled() ? Optional.of(config.manifest().name()) : Optional.empty();
        this.json = json;
        Arrays.setAll(objectLocks, i -> new ReentrantLock());
    }

    private Imaging imaging() {
        Imaging result = imaging;
        if (result == null) {
            synchronized (this) {
                if (imaging == null) {
                    TurboJpeg.Probe jpegCodec = TurboJpeg.probe(jpeg.turbojpegJar(), jpeg.codec() == JpegCodec.AUTO);
                    Log.infof("JPEG codec: %s", jpegCodec.description());
                    imaging = new Imaging(limits.maxSourceMegapixels() * 1_000_000L, limits.maxFrames(), limits.decodeTimeout(), jpegCodec);
                }
                result = imaging;
            }
        }
        return result;
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
                keepRefused(event, e.reason());
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
        Map<String, Optional<StoredObject>> stats = new HashMap<>();
        if (event.eTag() != null) {
            // renditions stored for this ETag at the keys of an unchanged format need no download at all
            Source announced = new Source(event.bucket(), event.key(), event.eTag());
            List<String> announcedKeys = renditions.stream()
                    .map(spec -> keys.keyInOwnFormat(spec.name(), spec.width(), spec.height(), event.bucket(), event.key())).toList();
            Optional<String> manifestKey = manifestKey(event.bucket(), event.key());
            List<String> lookups = new ArrayList<>(announcedKeys);
            manifestKey.ifPresent(lookups::add);
            describe(lookups, stats);
            times.done("lookup");
            List<Rendition> reused = new ArrayList<>();
            for (int i = 0; i < renditions.size(); i++) {
                current(announced, renditions.get(i).name(), announcedKeys.get(i), stats).ifPresent(reused::add);
            }
            if (reused.size() == renditions.size() && manifestKey.stream().allMatch(key -> madeFrom(announced, key, stats))) {
                return Optional.of(deleteOriginalIfAsked(finish(eventId, event, new StoredRenditions(announced, reused, 0, jpegCodec()), times, "unchanged")));
            }
        }

        Optional<Original> fetched = store.fetch(event.bucket(), event.key(), maxSourceBytes, inMemoryBytes);
        times.done("fetch");
        if (fetched.isEmpty()) {
            metrics.ignored();
            Log.infof("%s %s ignored: the object no longer exists", eventId, event.path());
            return Optional.empty();
        }
        try (Original original = fetched.get()) {
            return Optional.of(deleteOriginalIfAsked(process(eventId, event, original, stats, times)));
        }
    }

    private StoredRenditions process(String eventId, ObjectEvent event, Original original, Map<String, Optional<StoredObject>> stats, StepTimes times) {
        Source source = new Source(original.bucket(), original.key(), original.eTag());
        metrics.original(original.data().size());
        ImageInfo info = imaging().inspect(original.data());

        List<Rendition> result = new ArrayList<>();
        Map<Target, String> missing = new LinkedHashMap<>(); // rendition to make, and its key
        List<Target> targets = renditions.stream().map(spec -> Target.plan(spec, info, keepAnimation)).toList();
        List<String> targetKeys = targets.stream()
                .map(t -> keys.key(t.spec().name(), t.spec().width(), t.spec().height(), original.bucket(), original.key(), info.format(), t.format()))
                .toList();
        Optional<String> manifestKey = manifestKey(original.bucket(), original.key());
        List<String> lookups = new ArrayList<>(targetKeys);
        manifestKey.ifPresent(lookups::add);
        describe(lookups, stats);
        times.done("inspect");
        for (int i = 0; i < targets.size(); i++) {
            RenditionSpec spec = renditions.get(i);
            Target target = targets.get(i);
            String key = targetKeys.get(i);
            Optional<Rendition> existing = current(source, spec.name(), key, stats);
            if (existing.isPresent()) {
                result.add(existing.get());
            } else {
                missing.put(target, key);
            }
        }
        boolean writeManifest = manifestKey.isPresent() && (!missing.isEmpty() || !madeFrom(source, manifestKey.get(), stats));
        Placeholder placeholder = null;
        if (!missing.isEmpty() || writeManifest) {
            // each rendition is sent as soon as it is encoded, while the next is rendered
            List<ObjectStore.Pending> stores = new ArrayList<>();
            List<Rendered> rendered;
            try {
                // animated renditions (resizer.animation=keep) are made frame by frame from the original itself
                List<Target> animated = missing.keySet().stream().filter(t -> t.format() == ImageFormat.GIF).toList();
                List<Target> stills = missing.keySet().stream().filter(t -> t.format() != ImageFormat.GIF).toList();
                BufferedImage decoded = imaging().decode(original.data(), info, stills.isEmpty() ? targets : stills);
                times.done("decode");
                if (writeManifest) {
                    placeholder = imaging().placeholder(decoded, info);
                }
                long[] last = { System.nanoTime() };
                Consumer<Rendered> send = r -> {
                    long now = System.nanoTime();
                    metrics.rendition(r.target().spec().name(), now - last[0], r.bytes().length);
                    last[0] = now;
                    stores.add(store.putAsync(destination, new ObjectStore.Put(missing.get(r.target()), r.bytes(), r.contentType(),
                            metadata(original, r), inheritedHeaders(original))));
                };
                rendered = new ArrayList<>(imaging().render(decoded, info, stills, send));
                if (!animated.isEmpty()) {
                    rendered.addAll(imaging().renderAnimated(original.data(), info, animated, send));
                }
            } catch (RuntimeException e) {
                stores.forEach(ObjectStore.Pending::cancel);
                throw e;
            }
            times.done("render");
            for (Rendered r : rendered) {
                String key = missing.get(r.target());
                result.add(new Rendition(r.target().spec().name(), destination, key, r.width(), r.height(), r.bytes().length, r.contentType()));
            }
            store.awaitAll(stores);
            result.sort(Comparator.comparing(Rendition::name));
            if (writeManifest) {
                // after the renditions: a manifest only ever lists renditions that exist
                Manifest manifest = new Manifest(new Manifest.Source(source.bucket(), source.key(), source.etag(), info.displayWidth(),
                        info.displayHeight(), info.format().contentType), result, placeholder);
                store.awaitAll(List.of(store.putAsync(destination, new ObjectStore.Put(manifestKey.get(), manifestJson(manifest),
                        "application/json", sourceMetadata(source), cacheControl.map(value -> Map.of("Cache-Control", value)).orElse(Map.of())))));
            }
            times.done("store");
        }
        result.sort(Comparator.comparing(Rendition::name));
        String what = String.format("%s %dx%d", info.format(), info.displayWidth(), info.displayHeight());
        return finish(eventId, event, new StoredRenditions(source, result, missing.size(), jpegCodec()), times, what);
    }

    private String jpegCodec() {
        return imaging().jpegCodec().name();
    }

    private StoredRenditions finish(String eventId, ObjectEvent event, StoredRenditions result, StepTimes times, String what) {
        announcer.announce(result);
        times.done("announce");
        if (result.written() > 0) {
            metrics.processed();
        } else {
            metrics.unchanged();
        }
        Log.infof("%s %s: %d renditions written, %d already current (%s) in %d ms (%s)", eventId, event.path(), result.written(),
                result.renditions().size() - result.written(), what, times.totalMillis(), times);
        return result;
    }

    private Optional<String> manifestKey(String bucket, String key) {
        return manifestName.map(name -> keys.folderKey(name, bucket, key) + ".json");
    }

    private byte[] manifestJson(Manifest manifest) {
        try {
            return json.writeValueAsBytes(manifest);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the manifest of " + manifest.source().key() + " cannot be written as JSON", e);
        }
    }

    /** Whether the object at {@code key} (looked up in {@code stats}) was made from exactly this original. */
    private static boolean madeFrom(Source source, String key, Map<String, Optional<StoredObject>> stats) {
        return stats.getOrDefault(key, Optional.empty()).filter(o -> madeFrom(source, o)).isPresent();
    }

    private static boolean madeFrom(Source source, StoredObject object) {
        return sourceMetadata(source).entrySet().stream().allMatch(e -> e.getValue().equals(object.metadata().get(e.getKey())));
    }

    /** What names the original on everything made from it; the key is form-encoded as in the notification (headers are ASCII). */
    private static Map<String, String> sourceMetadata(Source source) {
        return Map.of(SOURCE_BUCKET, source.bucket(), SOURCE_KEY, KeyEncoding.encode(source.key()), SOURCE_ETAG, source.etag());
    }

    /** Looks up the keys not yet in {@code stats}, all at once. */
    private void describe(List<String> renditionKeys, Map<String, Optional<StoredObject>> stats) {
        List<String> unknown = renditionKeys.stream().filter(k -> !stats.containsKey(k)).distinct().toList();
        if (!unknown.isEmpty()) {
            stats.putAll(store.statAll(destination, unknown));
        }
    }

    /**
     * A rendition already stored at {@code key} from exactly this original (same bucket, key and ETag).
     *
     * @param stats the rendition keys looked up by {@link #describe}, {@code key} among them
     */
    private Optional<Rendition> current(Source source, String name, String key, Map<String, Optional<StoredObject>> stats) {
        return stats.get(key).filter(o -> madeFrom(source, o))
                .flatMap(o -> dimensions(o).map(wh -> new Rendition(name, destination, key, wh[0], wh[1], o.size(), o.contentType())));
    }

    private static Optional<int[]> dimensions(StoredObject o) {
        try {
            return Optional.of(new int[] { Integer.parseInt(o.metadata().get(WIDTH)), Integer.parseInt(o.metadata().get(HEIGHT)) });
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * User metadata of a rendition: the original's (when copied and the total stays within S3's 2 KB, which would
     * otherwise refuse every PUT), then ours, which win.
     */
    private Map<String, String> metadata(Original original, Rendered rendered) {
        Map<String, String> ours = new HashMap<>(sourceMetadata(new Source(original.bucket(), original.key(), original.eTag())));
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
    private Map<String, String> inheritedHeaders(Original original) {
        Map<String, String> headers = new HashMap<>();
        if (copyMetadata) {
            headers.putAll(original.headers());
        }
        cacheControl.ifPresent(value -> headers.put("Cache-Control", value));
        return headers;
    }

    /** With {@code resizer.destination.failed-prefix}: a copy of a refused original that exists, with the reason. */
    private void keepRefused(ObjectEvent event, Failure.Reason reason) {
        if (failedPrefix.isEmpty() || !KEPT_WHEN_REFUSED.contains(reason)) {
            return;
        }
        String key = failedPrefix.get() + (keys.includeBucket() ? event.bucket() + "/" : "") + event.key();
        store.copy(event.bucket(), event.key(), destination, key, Map.of("resizer-rejection", reason.code,
                SOURCE_BUCKET, event.bucket(), SOURCE_KEY, KeyEncoding.encode(event.key())));
    }

    /** With {@code resizer.source.delete-original}: the original goes once everything about it is stored and announced. */
    private StoredRenditions deleteOriginalIfAsked(StoredRenditions result) {
        if (deleteOriginal) {
            store.deleteIfUnchanged(result.source().bucket(), result.source().key(), new ETag(result.source().etag()));
        }
        return result;
    }
}
