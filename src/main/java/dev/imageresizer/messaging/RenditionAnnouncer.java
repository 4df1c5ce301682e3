package dev.imageresizer.messaging;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.failure.Failure;
import dev.imageresizer.pipeline.Announcer;
import dev.imageresizer.pipeline.Rejection;
import dev.imageresizer.pipeline.StoredRenditions;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Announces stored renditions: one CloudEvent (binary mode, JSON data) per original on the {@code image-renditions}
 * channel, keyed {@code bucket/key} like MinIO's records; and refused originals, one CloudEvent per refusal with its
 * reason on the {@code image-renditions-failed} channel (topic {@code image-renditions-failed}). A KafkaSource discards the function's HTTP reply, so this is
 * how the rest of the system learns of new renditions. Sending waits for the broker's acknowledgement; a failure is
 * {@link Failure.Transient}, so the event is retried (and, its renditions existing, only re-announced).
 */
@ApplicationScoped
public class RenditionAnnouncer implements Announcer {

    /** The CloudEvent type of announcements. */
    public static final String TYPE = "dev.imageresizer.renditions.stored";
    /** The CloudEvent type of failure records. */
    public static final String FAILED_TYPE = "dev.imageresizer.renditions.failed";
    static final URI SOURCE = URI.create("/image-resizer");

    private final MutinyEmitter<String> emitter;
    private final MutinyEmitter<String> failures;
    private final ObjectMapper json;
    private final boolean enabled;

    RenditionAnnouncer(@Channel("image-renditions") MutinyEmitter<String> emitter,
            @Channel("image-renditions-failed") MutinyEmitter<String> failures, ObjectMapper json, ResizerConfig config) {
        this.emitter = emitter;
        this.failures = failures;
        this.json = json;
        this.enabled = config.announce().enabled();
    }

    @Override
    public void announce(StoredRenditions renditions) {
        if (!enabled) {
            return;
        }
        String subject = renditions.source().bucket() + "/" + renditions.source().key();
        // the same original (bucket, key, ETag) always gets the same id, so consumers can drop repeats
        send(emitter, TYPE, subject, subject + "@" + renditions.source().etag(), renditions);
    }

    /**
     * Records a refusal. A rejected event is final only once this is acknowledged: when Kafka is unreachable the
     * {@link Failure.Transient} makes the sender retry the event, so no refusal goes unrecorded.
     */
    @Override
    public void announce(Rejection rejection) {
        if (!enabled) {
            return;
        }
        String subject = rejection.bucket() == null ? "event/" + rejection.eventId() : rejection.bucket() + "/" + rejection.key();
        // a redelivered refusal of the same upload keeps its id
        send(failures, FAILED_TYPE, subject, subject + "@" + rejection.etag() + "#" + rejection.reason(), rejection);
    }

    private void send(MutinyEmitter<String> channel, String type, String subject, String identity, Object data) {
        String payload;
        try {
            payload = json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + data, e);
        }
        String id = UUID.nameUUIDFromBytes(identity.getBytes(StandardCharsets.UTF_8)).toString();
        Message<String> message = Message.of(payload)
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(id)
                        .withType(type)
                        .withSource(SOURCE)
                        .withSubject(subject)
                        .withDataContentType("application/json")
                        .build())
                .addMetadata(OutgoingKafkaRecordMetadata.<String> builder().withKey(subject).build());
        try {
            channel.sendMessageAndAwait(message);
        } catch (RuntimeException e) {
            throw Failure.unavailable("Kafka unavailable: announcing " + subject + " failed (" + e.getMessage() + ")", e);
        }
    }
}
