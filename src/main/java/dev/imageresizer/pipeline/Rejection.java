package dev.imageresizer.pipeline;

import dev.imageresizer.failure.Failure;
import dev.imageresizer.storage.ETag;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An original (or a whole notification) that was refused, as recorded on the failure topic: what was refused, why, and
 * in which event, so an operator can find the upload and the log line without searching.
 *
 * @param eventId the CloudEvent id, or the Kafka partition and offset, of the notification
 * @param bucket the original's bucket; null when the notification itself could not be read
 * @param key the original's key, decoded; null when the notification itself could not be read
 * @param etag the original's ETag as announced; null when unknown
 * @param reason the {@link Failure.Reason} code, as in the HTTP path's {@code kne-reason} header
 * @param message what was wrong, for a person
 */
// serialised by Jackson for the failure record, outside Funqy's signature
@RegisterForReflection
public record Rejection(String eventId, String bucket, String key, String etag, String reason, String message) {

    /** @param etag null when unknown */
    public static Rejection of(String eventId, String bucket, String key, ETag etag, Failure.Rejected failure) {
        return new Rejection(eventId, bucket, key, etag == null ? null : etag.value(), failure.reason().code, failure.getMessage());
    }
}
