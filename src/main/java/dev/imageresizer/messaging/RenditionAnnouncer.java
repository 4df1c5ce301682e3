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
import dev.imageresizer.pipeline.Failure;
import dev.imageresizer.pipeline.StoredRenditions;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;

/**
 * Announces stored renditions: one CloudEvent (binary mode, JSON data) per original on the {@code image-renditions}
 * channel, keyed {@code bucket/key} like MinIO's records. A KafkaSource discards the function's HTTP reply, so this is
 * how the rest of the system learns of new renditions. Sending waits for the broker's acknowledgement; a failure is
 * {@link Failure.Transient}, so the event is retried (and, its renditions existing, only re-announced).
 */
@ApplicationScoped
public class RenditionAnnouncer {

    /** The CloudEvent type of announcements. */
    public static final String TYPE = "dev.imageresizer.renditions.stored";
    static final URI SOURCE = URI.create("/image-resizer");

    private final MutinyEmitter<String> emitter;
    private final ObjectMapper json;
    private final boolean enabled;

    RenditionAnnouncer(@Channel("image-renditions") MutinyEmitter<String> emitter, ObjectMapper json, ResizerConfig config) {
        this.emitter = emitter;
        this.json = json;
        this.enabled = config.announce().enabled();
    }

    public void announce(StoredRenditions renditions) {
        if (!enabled) {
            return;
        }
        String subject = renditions.source().bucket() + "/" + renditions.source().key();
        String payload;
        try {
            payload = json.writeValueAsString(renditions);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + renditions, e);
        }
        // the same original (bucket, key, ETag) always gets the same id, so consumers can drop repeats
        String id = UUID.nameUUIDFromBytes((subject + "@" + renditions.source().etag()).getBytes(StandardCharsets.UTF_8)).toString();
        Message<String> message = Message.of(payload)
                .addMetadata(OutgoingCloudEventMetadata.builder()
                        .withId(id)
                        .withType(TYPE)
                        .withSource(SOURCE)
                        .withSubject(subject)
                        .withDataContentType("application/json")
                        .build())
                .addMetadata(OutgoingKafkaRecordMetadata.<String> builder().withKey(subject).build());
        try {
            emitter.sendMessageAndAwait(message);
        } catch (RuntimeException e) {
            throw Failure.unavailable("Kafka unavailable: announcing " + subject + " failed (" + e.getMessage() + ")", e);
        }
    }
}
