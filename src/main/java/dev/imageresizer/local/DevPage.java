package dev.imageresizer.local;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.event.EventFilter;
import dev.imageresizer.event.KeyEncoding;
import dev.imageresizer.event.ObjectEvent;
import dev.imageresizer.failure.Failure;
import dev.imageresizer.storage.ETag;
import dev.imageresizer.storage.ListedObject;
import dev.imageresizer.storage.ObjectPage;
import dev.imageresizer.storage.ObjectStore;
import dev.imageresizer.storage.RenditionKeys;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MinioClient;
import io.minio.ObjectWriteResponse;
import io.minio.PutObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.smallrye.common.annotation.Identifier;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * A page to see the resizer work ({@code resizer.dev-page=true}, on in dev mode): drop images on
 * {@code /resizer/dev}, watch them go through the real pipeline (upload to the source bucket, MinIO's notification,
 * Kafka, the consumer) and see the original beside every rendition with its dimensions, bytes, and the time until it
 * was there. On opening it also shows what is already in the source buckets: the latest originals, each with its
 * renditions (from its manifest) or the reason it was refused (from the failure topic). Its own small API:
 * {@code PUT /resizer/dev/originals/<name>} stores an upload under {@code dev-page/},
 * {@code GET /resizer/dev/manifests/<source key>} answers the manifest once the renditions are stored (404 before),
 * {@code GET /resizer/dev/objects/<bucket>/<key>} serves an object of the source or destination bucket,
 * {@code GET /resizer/dev/recent} answers the latest originals with their manifests or refusals.
 */
@ApplicationScoped
public class DevPage {

    /** Where the page's uploads go in the source bucket. */
    public static final String PREFIX = "dev-page/";
    private static final String PATH = "/resizer/dev";
    /** How many of the latest originals the page shows on opening. */
    static final int RECENT = 12;
    /** How many keys it lists at most to find them: S3 lists in key order, not by date. */
    static final int MAX_LISTED = 10_000;

    /** Looked up on a request: making the client at startup would fail a start without credentials (the image's training run). */
    private final Instance<MinioClient> minio;
    /** Made on first use (a client proxy), for the same reason. */
    private final ObjectStore store;
    private final Instance<Map<String, Object>> kafka;
    private final String failureTopic;
    private final ResizerConfig config;
    private final RenditionKeys keys;
    /** What the pipeline would resize: the page shows no rendition, renditions' manifest or excluded key as an original. */
    private final EventFilter originals;

    DevPage(Instance<MinioClient> minio, ObjectStore store, @Identifier("default-kafka-broker") Instance<Map<String, Object>> kafka,
            @ConfigProperty(name = "mp.messaging.outgoing.image-renditions-failed.topic") String failureTopic, ResizerConfig config) {
        this.minio = minio;
        this.store = store;
        this.kafka = kafka;
        this.failureTopic = failureTopic;
        this.config = config;
        String prefix = config.destination().prefix().orElse("");
        this.keys = new RenditionKeys(prefix, config.source().buckets().size() > 1);
        this.originals = new EventFilter(Set.copyOf(config.source().buckets()), config.source().includePrefixes().orElse(List.of()),
                config.source().excludePrefixes().orElse(List.of()), config.destination().bucket(), prefix, config.destination().failedPrefix());
    }

    void register(@Observes Router router) {
        if (!config.devPage()) {
            return;
        }
        router.get(PATH).handler(this::page);
        router.put(PATH + "/originals/*").handler(BodyHandler.create().setBodyLimit(config.limits().maxSourceSize().asLongValue()))
                .blockingHandler(this::upload);
        router.get(PATH + "/manifests/*").blockingHandler(this::manifest);
        router.get(PATH + "/objects/*").blockingHandler(this::object);
        router.get(PATH + "/recent").blockingHandler(this::recent);
    }

    private void page(RoutingContext context) {
        try (InputStream in = DevPage.class.getResourceAsStream("/dev-page.html")) {
            context.response().putHeader("content-type", "text/html; charset=utf-8").end(Buffer.buffer(in.readAllBytes()));
        } catch (IOException e) {
            context.fail(e);
        }
    }

    private void upload(RoutingContext context) {
        String name = rest(context, "/originals/");
        String key;
        try {
            key = KeyEncoding.requireSafe(PREFIX + name);
        } catch (Failure.Rejected e) {
            context.response().setStatusCode(400).end(e.getMessage());
            return;
        }
        byte[] bytes = context.body().buffer() == null ? new byte[0] : context.body().buffer().getBytes();
        String contentType = context.request().getHeader("content-type");
        String bucket = config.source().buckets().get(0);
        try {
            ObjectWriteResponse written = minio.get().putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(new ByteArrayInputStream(bytes), bytes.length, -1)
                    .contentType(contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType).build());
            context.response().putHeader("content-type", "application/json").end(new JsonObject().put("bucket", bucket).put("key", key)
                    .put("etag", ETag.of(written.etag()).value()).put("bytes", bytes.length).encode());
        } catch (Exception e) {
            context.response().setStatusCode(502).end("upload to the object store failed: " + e.getMessage());
        }
    }

    private void manifest(RoutingContext context) {
        String sourceKey = rest(context, "/manifests/");
        serve(context, config.destination().bucket(), manifestKey(config.source().buckets().get(0), sourceKey), "application/json");
    }

    private String manifestKey(String bucket, String key) {
        return keys.folderKey(config.manifest().name(), bucket, key) + ".json";
    }

    /** An original found by listing a source bucket. */
    private record Found(String bucket, ListedObject object) {
        String subject() {
            return bucket + "/" + object.key();
        }
    }

    /**
     * {@code {listed, complete, objects: [{bucket, key, etag, bytes, lastModified, manifest?, refusal?}], refusalsUnknown?}}:
     * the latest {@link #RECENT} originals, newest first, among the first {@link #MAX_LISTED} keys of the source buckets
     * (listed a page at a time, only the latest kept), each with its manifest when that was made from this very
     * content, else its latest refusal of this content on the failure topic, if any.
     */
    private void recent(RoutingContext context) {
        try {
            context.response().putHeader("content-type", "application/json").putHeader("cache-control", "no-store").end(recent().encode());
        } catch (Failure.Transient e) {
            context.response().setStatusCode(502).end(e.getMessage());
        }
    }

    private JsonObject recent() {
        Comparator<Found> byAge = Comparator.comparing((Found f) -> f.object().lastModified()).thenComparing(Found::subject);
        PriorityQueue<Found> latest = new PriorityQueue<>(byAge); // the oldest of those kept first, to be dropped
        long listed = 0;
        boolean complete = true;
        walk: for (String bucket : config.source().buckets()) {
            Optional<String> after = Optional.empty();
            do {
                if (listed >= MAX_LISTED) {
                    complete = false;
                    break walk;
                }
                ObjectPage page = store.list(bucket, "", after, ObjectStore.MAX_PAGE_SIZE);
                for (ListedObject object : page.objects()) {
                    listed++;
                    if (originals.decide(new ObjectEvent("ObjectCreated:Put", bucket, object.key(), object.eTag(), object.size())).acts()) {
                        latest.add(new Found(bucket, object));
                        if (latest.size() > RECENT) {
                            latest.poll();
                        }
                    }
                }
                after = page.next();
            } while (after.isPresent());
        }
        List<Found> newest = new ArrayList<>(latest);
        newest.sort(byAge.reversed());
        JsonObject answer = new JsonObject().put("listed", listed).put("complete", complete);
        Map<String, JsonObject> refusals = Map.of();
        try {
            refusals = new RefusalLog(kafka.get(), failureTopic).latest(newest.stream().map(Found::subject).collect(Collectors.toSet()));
        } catch (RuntimeException e) {
            answer.put("refusalsUnknown", "the failure topic " + failureTopic + " could not be read: " + e.getMessage());
        }
        JsonArray objects = new JsonArray();
        for (Found found : newest) {
            ListedObject object = found.object();
            String eTag = object.eTag() == null ? null : object.eTag().value();
            JsonObject entry = new JsonObject().put("bucket", found.bucket()).put("key", object.key()).put("etag", eTag)
                    .put("bytes", object.size()).put("lastModified", object.lastModified().toString());
            Optional<JsonObject> manifest = read(config.destination().bucket(), manifestKey(found.bucket(), object.key()))
                    .filter(m -> eTag == null || eTag.equals(m.getJsonObject("source", new JsonObject()).getString("etag")));
            JsonObject refusal = refusals.get(found.subject());
            if (manifest.isPresent()) {
                entry.put("manifest", manifest.get());
            } else if (refusal != null && (eTag == null || refusal.getString("etag") == null || eTag.equals(refusal.getString("etag")))) {
                entry.put("refusal", new JsonObject().put("reason", refusal.getString("reason")).put("message", refusal.getString("message")));
            }
            objects.add(entry);
        }
        return answer.put("objects", objects);
    }

    /** A JSON object of the store, or empty when it does not exist or is not JSON. */
    private Optional<JsonObject> read(String bucket, String key) {
        try (InputStream in = minio.get().getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return Optional.of(new JsonObject(Buffer.buffer(in.readAllBytes())));
        } catch (ErrorResponseException | DecodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw Failure.unavailable("reading " + bucket + "/" + key + " failed: " + e.getMessage(), e);
        }
    }

    private void object(RoutingContext context) {
        String path = rest(context, "/objects/");
        int slash = path.indexOf('/');
        String bucket = slash < 0 ? path : path.substring(0, slash);
        Set<String> allowed = new HashSet<>(config.source().buckets());
        allowed.add(config.destination().bucket());
        if (slash < 0 || !allowed.contains(bucket)) {
            context.response().setStatusCode(404).end();
            return;
        }
        serve(context, bucket, path.substring(slash + 1), null);
    }

    private void serve(RoutingContext context, String bucket, String key, String contentType) {
        try (InputStream in = minio.get().getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            byte[] bytes = in.readAllBytes();
            String type = contentType != null ? contentType : ((GetObjectResponse) in).headers().get("Content-Type");
            context.response().putHeader("content-type", type == null ? "application/octet-stream" : type)
                    .putHeader("cache-control", "no-store").end(Buffer.buffer(bytes));
        } catch (ErrorResponseException e) {
            context.response().setStatusCode(404).end(e.errorResponse().code());
        } catch (Exception e) {
            context.response().setStatusCode(502).end("the object store failed: " + e.getMessage());
        }
    }

    /** The decoded rest of the path after {@code marker}. */
    private static String rest(RoutingContext context, String marker) {
        String path = context.normalizedPath();
        // a path keeps '+' as it is; only %XX is decoded
        return URLDecoder.decode(path.substring(path.indexOf(marker) + marker.length()).replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
