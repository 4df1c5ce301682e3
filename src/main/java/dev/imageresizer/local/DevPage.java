package dev.imageresizer.local;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.event.KeyEncoding;
import dev.imageresizer.failure.Failure;
import dev.imageresizer.storage.ETag;
import dev.imageresizer.storage.RenditionKeys;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MinioClient;
import io.minio.ObjectWriteResponse;
import io.minio.PutObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * A page to see the resizer work ({@code resizer.dev-page=true}, on in dev mode): drop images on
 * {@code /resizer/dev}, watch them go through the real pipeline (upload to the source bucket, MinIO's notification,
 * Kafka, the consumer) and see the original beside every rendition with its dimensions, bytes, and the time until it
 * was there. Its own small API: {@code PUT /resizer/dev/originals/<name>} stores an upload under {@code dev-page/},
 * {@code GET /resizer/dev/manifests/<source key>} answers the manifest once the renditions are stored (404 before),
 * {@code GET /resizer/dev/objects/<bucket>/<key>} serves an object of the source or destination bucket.
 */
@ApplicationScoped
public class DevPage {

    /** Where the page's uploads go in the source bucket. */
    public static final String PREFIX = "dev-page/";
    private static final String PATH = "/resizer/dev";

    /** Looked up on a request: making the client at startup would fail a start without credentials (the image's training run). */
    private final Instance<MinioClient> minio;
    private final ResizerConfig config;

    DevPage(Instance<MinioClient> minio, ResizerConfig config) {
        this.minio = minio;
        this.config = config;
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
        RenditionKeys keys = new RenditionKeys(config.destination().prefix().orElse(""), config.source().buckets().size() > 1);
        serve(context, config.destination().bucket(), keys.folderKey(config.manifest().name(), config.source().buckets().get(0), sourceKey) + ".json",
                "application/json");
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
