package dev.imageresizer.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import dev.imageresizer.storage.ETag;
import dev.imageresizer.failure.Failure;
import dev.imageresizer.imaging.ImageData;
import dev.imageresizer.storage.ObjectStore;
import dev.imageresizer.storage.Original;
import dev.imageresizer.storage.Storage;
import dev.imageresizer.storage.StoredObject;

/**
 * An object store in memory, for the pipeline's unit tests: objects by bucket and key with their content type, user
 * metadata, headers and an ETag (the MD5 of the content, as S3 gives a single-part upload). A PUT is stored when it is
 * awaited, as the real store's complete some time after they start; a cancelled one is never stored. Every request is
 * recorded ({@code GET images/a.jpg}, {@code HEAD}, {@code PUT}, {@code COPY}, {@code DELETE}, and {@code CANCEL} for a
 * PUT cancelled), and PUTs to chosen keys can be made to fail as an unreachable store would.
 */
public final class InMemoryStorage implements Storage {

    /** One stored object. */
    public record StoredBytes(byte[] content, String contentType, Map<String, String> metadata, Map<String, String> headers, String eTag) {

        public StoredBytes {
            metadata = Map.copyOf(metadata);
            headers = Map.copyOf(headers);
        }

        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    private final Map<String, StoredBytes> objects = new ConcurrentHashMap<>();
    private final List<String> requests = new ArrayList<>();
    private Predicate<String> failingPuts = key -> false;

    /** Stores an object as an uploader would, with user metadata and headers (e.g. {@code Content-Disposition}). */
    public String upload(String bucket, String key, byte[] content, String contentType, Map<String, String> metadata, Map<String, String> headers) {
        String eTag = md5(content);
        objects.put(bucket + "/" + key, new StoredBytes(content.clone(), contentType, metadata, headers, eTag));
        return eTag;
    }

    public String upload(String bucket, String key, byte[] content, String contentType) {
        return upload(bucket, key, content, contentType, Map.of(), Map.of());
    }

    public Optional<StoredBytes> get(String bucket, String key) {
        return Optional.ofNullable(objects.get(bucket + "/" + key));
    }

    public boolean exists(String bucket, String key) {
        return objects.containsKey(bucket + "/" + key);
    }

    public void remove(String bucket, String key) {
        objects.remove(bucket + "/" + key);
    }

    /** The keys stored in {@code bucket}, sorted. */
    public List<String> keys(String bucket) {
        return objects.keySet().stream().filter(k -> k.startsWith(bucket + "/")).map(k -> k.substring(bucket.length() + 1)).sorted().toList();
    }

    /** Every request so far, in order, e.g. {@code GET images/a.jpg}. */
    public synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    /** The requests so far that start with {@code method}. */
    public synchronized List<String> requests(String method) {
        return requests.stream().filter(r -> r.startsWith(method + " ")).toList();
    }

    public synchronized void forgetRequests() {
        requests.clear();
    }

    /** From now on, a PUT of a key {@code failing} accepts fails as an unreachable store's would. */
    public void failPuts(Predicate<String> failing) {
        this.failingPuts = failing;
    }

    private synchronized void record(String request) {
        requests.add(request);
    }

    @Override
    public Optional<Original> fetch(String bucket, String key, long maxBytes, long inMemoryBytes) {
        record("GET " + bucket + "/" + key);
        StoredBytes object = objects.get(bucket + "/" + key);
        if (object == null) {
            return Optional.empty();
        }
        if (object.content().length > maxBytes) {
            throw Failure.rejected(Failure.Reason.TOO_LARGE, "object too large: " + object.content().length + " bytes, the limit is " + maxBytes);
        }
        Map<String, String> metadata = new TreeMap<>();
        object.metadata().forEach((name, value) -> metadata.put(name.toLowerCase(Locale.ROOT), value));
        Map<String, String> headers = new TreeMap<>();
        for (String name : List.of("Cache-Control", "Content-Disposition")) {
            Optional.ofNullable(object.headers().get(name)).ifPresent(value -> headers.put(name, value));
        }
        return Optional.of(new Original(bucket, key, new ETag(object.eTag()), ImageData.of(object.content()), metadata, headers));
    }

    @Override
    public Map<String, Optional<StoredObject>> statAll(String bucket, List<String> keys) {
        Map<String, Optional<StoredObject>> result = new LinkedHashMap<>();
        for (String key : keys) {
            record("HEAD " + bucket + "/" + key);
            result.put(key, Optional.ofNullable(objects.get(bucket + "/" + key))
                    .map(o -> new StoredObject(bucket, key, o.content().length, o.contentType(), o.metadata())));
        }
        return result;
    }

    @Override
    public ObjectStore.Pending putAsync(String bucket, ObjectStore.Put put) {
        String what = "PUT " + bucket + "/" + put.key();
        if (failingPuts.test(put.key())) {
            throw Failure.unavailable("object store unavailable: " + what + " failed (refused by the test)", null);
        }
        CompletableFuture<Void> request = new CompletableFuture<>();
        request.whenComplete((done, failure) -> {
            if (failure == null) {
                record(what);
                objects.put(bucket + "/" + put.key(), new StoredBytes(put.content(), put.contentType(), put.metadata(), put.headers(), md5(put.content())));
            } else {
                record("CANCEL " + bucket + "/" + put.key());
            }
        });
        return new ObjectStore.Pending(what, request);
    }

    @Override
    public void awaitAll(List<ObjectStore.Pending> pending) {
        pending.forEach(p -> ((CompletableFuture<?>) p.request()).complete(null));
    }

    @Override
    public boolean copy(String fromBucket, String fromKey, String toBucket, String toKey, Map<String, String> metadata) {
        record("COPY " + fromBucket + "/" + fromKey + " " + toBucket + "/" + toKey);
        StoredBytes from = objects.get(fromBucket + "/" + fromKey);
        if (from == null) {
            return false;
        }
        objects.put(toBucket + "/" + toKey, new StoredBytes(from.content(), from.contentType(), metadata, from.headers(), from.eTag()));
        return true;
    }

    @Override
    public boolean deleteIfUnchanged(String bucket, String key, ETag eTag) {
        record("DELETE " + bucket + "/" + key);
        StoredBytes object = objects.get(bucket + "/" + key);
        if (object == null || !object.eTag().equals(eTag.value())) {
            return false;
        }
        objects.remove(bucket + "/" + key);
        return true;
    }

    private static String md5(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
