package dev.imageresizer.support;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Optional;

import dev.imageresizer.local.MinioNotifications.ObjectState;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.ObjectWriteResponse;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;

/** The test's own access to the S3 server, as an uploading user or a reader of renditions. */
public final class Store {

    private final MinioClient minio;

    public Store(MinioClient minio) {
        this.minio = minio;
    }

    /** Uploads an object and returns what MinIO would put in its notification. */
    public ObjectState upload(String bucket, String key, byte[] bytes, String contentType) {
        try {
            ObjectWriteResponse written = minio.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                    .stream(new ByteArrayInputStream(bytes), bytes.length, -1).contentType(contentType).build());
            return new ObjectState(bucket, key, written.etag().replace("\"", ""), bytes.length, contentType);
        } catch (Exception e) {
            throw new IllegalStateException("upload of " + bucket + "/" + key + " failed", e);
        }
    }

    public Optional<StatObjectResponse> stat(String bucket, String key) {
        try {
            return Optional.of(minio.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()));
        } catch (ErrorResponseException e) {
            if (e.errorResponse().code().startsWith("NoSuch")) {
                return Optional.empty();
            }
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] get(String bucket, String key) {
        try (InputStream in = minio.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        } catch (Exception e) {
            throw new IllegalStateException("GET " + bucket + "/" + key + " failed", e);
        }
    }

    public boolean exists(String bucket, String key) {
        return stat(bucket, key).isPresent();
    }
}
