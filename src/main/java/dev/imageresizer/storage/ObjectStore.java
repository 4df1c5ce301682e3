package dev.imageresizer.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.imageresizer.imaging.ImageData;
import dev.imageresizer.pipeline.Failure;
import dev.imageresizer.pipeline.Failure.Reason;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;

/**
 * The object store (MinIO or any S3), through the MinIO client. Every failure to reach it is {@link Failure.Transient}:
 * the event is retried, never dropped.
 */
@ApplicationScoped
public class ObjectStore {

    private final MinioClient minio;
    private final Set<String> knownBuckets = ConcurrentHashMap.newKeySet();

    ObjectStore(MinioClient minio) {
        this.minio = minio;
    }

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
            String eTag = unquote(response.headers().get("ETag"));
            if (size > inMemoryBytes) {
                return Optional.of(new Original(bucket, key, eTag, spill(new byte[0], response, maxBytes)));
            }
            // no length given (chunked): read into memory up to the threshold, then go on into a file
            byte[] head = response.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, Math.min(maxBytes, inMemoryBytes) + 1));
            if (head.length > maxBytes) {
                throw tooLarge(head.length, maxBytes);
            }
            return Optional.of(new Original(bucket, key, eTag,
                    head.length <= inMemoryBytes ? ImageData.of(head) : spill(head, response, maxBytes)));
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

    /** @return the object's description, or empty when it does not exist */
    public Optional<StoredObject> stat(String bucket, String key) {
        try {
            StatObjectResponse stat = minio.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
            Map<String, String> metadata = new TreeMap<>();
            stat.userMetadata().forEach((name, value) -> metadata.put(name.toLowerCase(java.util.Locale.ROOT), value));
            return Optional.of(new StoredObject(bucket, key, stat.size(), stat.contentType(), metadata));
        } catch (ErrorResponseException e) {
            if (isMissing(e)) {
                return Optional.empty();
            }
            throw unavailable("HEAD " + bucket + "/" + key, e);
        } catch (Exception e) {
            throw unavailable("HEAD " + bucket + "/" + key, e);
        }
    }

    /** Stores an object, creating its bucket on first use. */
    public void put(String bucket, String key, byte[] content, String contentType, Map<String, String> metadata) {
        ensureBucket(bucket);
        try {
            minio.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(new ByteArrayInputStream(content), content.length, -1)
                    .contentType(contentType)
                    .userMetadata(metadata)
                    .build());
        } catch (Exception e) {
            throw unavailable("PUT " + bucket + "/" + key, e);
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

    private static String unquote(String eTag) {
        if (eTag == null) {
            return "";
        }
        return eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"") ? eTag.substring(1, eTag.length() - 1) : eTag;
    }
}
