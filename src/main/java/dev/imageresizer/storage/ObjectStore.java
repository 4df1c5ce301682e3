package dev.imageresizer.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;

import dev.imageresizer.imaging.ImageData;
import dev.imageresizer.failure.Failure;
import dev.imageresizer.failure.Failure.Reason;
import io.minio.BucketExistsArgs;
import io.minio.CopyObjectArgs;
import io.minio.CopySource;
import io.minio.Directive;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;

/**
 * The object store (MinIO or any S3), through the MinIO client. Every failure to reach it is {@link Failure.Transient}:
 * the event is retried, never dropped. The renditions of one original are looked up and stored with concurrent
 * requests (the asynchronous client), so an event waits for one round trip per step rather than one per rendition.
 */
@ApplicationScoped
public class ObjectStore implements Storage {

    private final MinioClient minio;
    private final MinioAsyncClient async;
    private final Set<String> knownBuckets = ConcurrentHashMap.newKeySet();

    ObjectStore(MinioClient minio, MinioAsyncClient async) {
        this.minio = minio;
        this.async = async;
    }

    /** One object to store. */
    public record Put(String key, byte[] content, String contentType, Map<String, String> metadata, Map<String, String> headers) {

        public Put(String key, byte[] content, String contentType, Map<String, String> metadata) {
            this(key, content, contentType, metadata, Map.of());
        }
    }

    /** The most objects S3 lists in one request. */
    public static final int MAX_PAGE_SIZE = 1000;

    /** The headers of an original a rendition may inherit. */
    static final List<String> INHERITED_HEADERS = List.of("Cache-Control", "Content-Disposition");

    /**
     * Downloads an object, refusing one larger than {@code maxBytes} before reading its content. Objects up to
     * {@code inMemoryBytes} are held in memory, larger ones streamed to a temporary file.
     *
     * @return empty when the object (or its bucket) no longer exists; the caller closes the original
     */
    public Optional<Original> fetch(String bucket, String key, long maxBytes, long inMemoryBytes) {
        try (GetObjectResponse response = minio.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            String length = response.headers().get("Content-Length");
            long size = length == null ? -1 : Long.parseLong(length);
            if (size > maxBytes) {
                throw tooLarge(size, maxBytes);
            }
            // without it, renditions could not name the version they were made from
            ETag eTag = ETag.parse(response.headers().get("ETag"))
                    .orElseThrow(() -> unavailable("GET " + bucket + "/" + key, new IOException("the answer has no ETag")));
            Map<String, String> metadata = new TreeMap<>();
            Map<String, String> headers = new TreeMap<>();
            for (String name : response.headers().names()) {
                if (name.toLowerCase(Locale.ROOT).startsWith("x-amz-meta-")) {
                    metadata.put(name.substring("x-amz-meta-".length()).toLowerCase(Locale.ROOT), response.headers().get(name));
                }
            }
            for (String name : INHERITED_HEADERS) {
                Optional.ofNullable(response.headers().get(name)).ifPresent(value -> headers.put(name, value));
            }
            if (size > inMemoryBytes) {
                return Optional.of(new Original(bucket, key, eTag, spill(new byte[0], response, maxBytes), metadata, headers));
            }
            // no length given (chunked): read into memory up to the threshold, then go on into a file
            // one byte more than may stay in memory tells whether there is more (capped first: no overflow at Long.MAX_VALUE)
            byte[] head = response.readNBytes((int) Math.min(Integer.MAX_VALUE - 9, Math.min(maxBytes, inMemoryBytes)) + 1);
            if (head.length > maxBytes) {
                throw tooLarge(head.length, maxBytes);
            }
            return Optional.of(new Original(bucket, key, eTag,
                    head.length <= inMemoryBytes ? ImageData.of(head) : spill(head, response, maxBytes), metadata, headers));
        } catch (ErrorResponseException e) {
            if (isMissing(e)) {
                return Optional.empty();
            }
            throw unavailable("GET " + bucket + "/" + key, e);
        } catch (Failure e) {
            throw e;
        } catch (Exception e) {
            throw unavailable("GET " + bucket + "/" + key, e);
        }
    }

    /** Writes a large object to a temporary file: what was read so far, then the rest of the stream. */
    private static ImageData spill(byte[] head, InputStream rest, long maxBytes) throws IOException {
        Path file = Files.createTempFile("original-", ".bin");
        try {
            long size = head.length;
            try (OutputStream out = Files.newOutputStream(file)) {
                out.write(head);
                byte[] buffer = new byte[64 * 1024];
                for (int read; (read = rest.read(buffer)) >= 0;) {
                    size += read;
                    if (size > maxBytes) {
                        throw tooLarge(size, maxBytes);
                    }
                    out.write(buffer, 0, read);
                }
            }
            return new ImageData.InFile(file, size);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }

    /**
     * One page of the objects in {@code bucket} under {@code prefix}, in key order: one request to the store. A walk
     * over a bucket of any size holds one page at a time:
     *
     * <pre>
     * Optional&lt;String&gt; after = Optional.empty();
     * do {
     *     ObjectPage page = store.list(bucket, prefix, after, 1000);
     *     ...
     *     after = page.next();
     * } while (after.isPresent());
     * </pre>
     *
     * @param startAfter the key after which the page starts (a page's {@link ObjectPage#next()}, or a checkpoint); empty
     *        for the first page
     * @param pageSize 1 to {@link #MAX_PAGE_SIZE}
     * @throws Failure.Transient when the store is unreachable or the bucket does not exist
     */
    public ObjectPage list(String bucket, String prefix, Optional<String> startAfter, int pageSize) {
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("a page holds 1 to " + MAX_PAGE_SIZE + " objects, not " + pageSize);
        }
        ListObjectsArgs.Builder args = ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).maxKeys(pageSize);
        startAfter.ifPresent(args::startAfter);
        List<ListedObject> objects = new ArrayList<>();
        String last = null;
        int read = 0;
        try {
            // the client's iterator asks for the next page only when this one is read and more are asked for: never here
            Iterator<Result<Item>> items = minio.listObjects(args.build()).iterator();
            while (read < pageSize && items.hasNext()) {
                Item item = items.next().get();
                read++;
                last = item.objectName();
                if (!item.isDir()) {
                    objects.add(new ListedObject(item.objectName(), ETag.parse(item.etag()).orElse(null), item.size(),
                            item.lastModified().toInstant()));
                }
            }
        } catch (Exception e) {
            throw unavailable("listing " + bucket + "/" + prefix + startAfter.map(key -> " after " + key).orElse(""), e);
        }
        return new ObjectPage(bucket, objects, read == pageSize ? Optional.of(last) : Optional.empty());
    }

    /** Describes several objects with concurrent requests; an object that does not exist maps to empty. */
    public Map<String, Optional<StoredObject>> statAll(String bucket, List<String> keys) {
        List<CompletableFuture<StatObjectResponse>> requests = new ArrayList<>();
        Map<String, Optional<StoredObject>> result = new LinkedHashMap<>();
        try {
            for (String key : keys) {
                requests.add(async.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()));
            }
        } catch (Exception e) {
            requests.forEach(r -> r.cancel(true));
            throw unavailable("HEAD " + bucket + "/" + keys, e);
        }
        Failure.Transient failure = null;
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            try {
                StatObjectResponse stat = await(requests.get(i));
                Map<String, String> metadata = new TreeMap<>();
                stat.userMetadata().forEach((name, value) -> metadata.put(name.toLowerCase(java.util.Locale.ROOT), value));
                result.put(key, Optional.of(new StoredObject(bucket, key, stat.size(), stat.contentType(), metadata)));
            } catch (ErrorResponseException e) {
                if (!isMissing(e)) {
                    failure = failure == null ? unavailable("HEAD " + bucket + "/" + key, e) : failure;
                }
                result.put(key, Optional.empty());
            } catch (Exception e) {
                failure = failure == null ? unavailable("HEAD " + bucket + "/" + key, e) : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
        return result;
    }

    /** A PUT under way. */
    public record Pending(String what, CompletableFuture<?> request) {
        public void cancel() {
            request.cancel(true);
        }
    }

    /** Starts storing an object, creating its bucket on first use; {@link #awaitAll} waits for it. */
    public Pending putAsync(String bucket, Put put) {
        ensureBucket(bucket);
        String what = "PUT " + bucket + "/" + put.key();
        try {
            return new Pending(what, async.putObject(PutObjectArgs.builder().bucket(bucket).object(put.key())
                    .stream(new ByteArrayInputStream(put.content()), put.content().length, -1)
                    .contentType(put.contentType())
                    .userMetadata(put.metadata())
                    .headers(put.headers())
                    .build()));
        } catch (Exception e) {
            throw unavailable(what, e);
        }
    }

    /** Waits for every PUT; fails with the first failure once all have ended. */
    public void awaitAll(List<Pending> pending) {
        Failure.Transient failure = null;
        for (Pending p : pending) {
            try {
                await(p.request());
            } catch (Exception e) {
                failure = failure == null ? unavailable(p.what(), e) : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Waits for a request, unwrapping the client's own exception. */
    private static <T> T await(CompletableFuture<T> request) throws Exception {
        try {
            return request.get();
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e;
            while ((cause instanceof ExecutionException || cause instanceof CompletionException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw cause instanceof Exception exception ? exception : e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.cancel(true);
            throw e;
        }
    }

    /**
     * Asks whether {@code bucket} exists, waiting at most {@code timeout}: whether the store answers, with these
     * credentials and this TLS trust.
     *
     * @throws Failure.Transient when it does not answer, or answers with an error
     */
    public boolean probe(String bucket, Duration timeout) {
        CompletableFuture<Boolean> request;
        try {
            request = async.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
        } catch (Exception e) {
            throw unavailable("looking up bucket " + bucket, e);
        }
        try {
            return request.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.cancel(true);
            throw unavailable("looking up bucket " + bucket, e);
        } catch (ExecutionException e) {
            throw unavailable("looking up bucket " + bucket, e.getCause() instanceof Exception cause ? cause : e);
        } catch (TimeoutException e) {
            request.cancel(true);
            throw unavailable("looking up bucket " + bucket, new IOException("no answer within " + timeout.toMillis() + " ms"));
        }
    }

    /**
     * Copies an object within the store (no download), replacing its user metadata with {@code metadata}.
     *
     * @return false when the source no longer exists
     * @throws Failure.Transient when the store is unreachable
     */
    public boolean copy(String fromBucket, String fromKey, String toBucket, String toKey, Map<String, String> metadata) {
        ensureBucket(toBucket);
        try {
            minio.copyObject(CopyObjectArgs.builder().bucket(toBucket).object(toKey)
                    .source(CopySource.builder().bucket(fromBucket).object(fromKey).build())
                    .metadataDirective(Directive.REPLACE).userMetadata(metadata).build());
            return true;
        } catch (ErrorResponseException e) {
            if (isMissing(e)) {
                return false;
            }
            throw unavailable("copying " + fromBucket + "/" + fromKey + " to " + toBucket + "/" + toKey, e);
        } catch (Exception e) {
            throw unavailable("copying " + fromBucket + "/" + fromKey + " to " + toBucket + "/" + toKey, e);
        }
    }

    /**
     * Deletes an object if it still has this ETag (checked just before: S3 has no conditional delete, so an upload in
     * the few milliseconds between check and delete would be lost; see docs/configuration.md, "delete-original").
     *
     * @return whether it was deleted
     * @throws Failure.Transient when the store is unreachable
     */
    public boolean deleteIfUnchanged(String bucket, String key, ETag eTag) {
        try {
            StatObjectResponse stat = minio.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
            if (!ETag.parse(stat.etag()).equals(Optional.of(eTag))) {
                return false;
            }
            minio.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return true;
        } catch (ErrorResponseException e) {
            if (isMissing(e)) {
                return false;
            }
            throw unavailable("deleting " + bucket + "/" + key, e);
        } catch (Exception e) {
            throw unavailable("deleting " + bucket + "/" + key, e);
        }
    }

    /** Creates the bucket unless it exists; checked once per process. */
    public void ensureBucket(String bucket) {
        if (knownBuckets.contains(bucket)) {
            return;
        }
        try {
            if (!minio.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                minio.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                throw unavailable("creating bucket " + bucket, e);
            }
        } catch (Exception e) {
            throw unavailable("creating bucket " + bucket, e);
        }
        knownBuckets.add(bucket);
    }

    private static boolean isMissing(ErrorResponseException e) {
        String code = e.errorResponse().code();
        return "NoSuchKey".equals(code) || "NoSuchBucket".equals(code) || "NoSuchObject".equals(code);
    }

    private static Failure.Rejected tooLarge(long size, long max) {
        return Failure.rejected(Reason.TOO_LARGE, "object too large: " + size + " bytes, the limit is " + max);
    }

    private static Failure.Transient unavailable(String operation, Exception e) {
        String detail = e instanceof ErrorResponseException error ? error.errorResponse().code() + ": " + error.errorResponse().message()
                : e instanceof IOException ? e.getClass().getSimpleName() + ": " + e.getMessage() : e.toString();
        return Failure.unavailable("object store unavailable: " + operation + " failed (" + detail + ")", e);
    }
}
