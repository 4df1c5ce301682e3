package dev.imageresizer.function;

import java.util.List;

import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.event.UntrustedText;
import dev.imageresizer.pipeline.EventResult;
import dev.imageresizer.failure.Failure;
import dev.imageresizer.failure.Failure.Reason;
import dev.imageresizer.pipeline.ResizePipeline;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import io.quarkus.logging.Log;

/**
 * The Knative entry point: the CloudEvent a KafkaSource makes of each MinIO record. The data is taken as bytes because
 * MinIO's records carry no content type, so the KafkaSource sends none, and Funqy binds objects only from
 * {@code application/json}. Funqy routes by {@code ce-type}, hence the explicit trigger; more types can be added with
 * {@code quarkus.funqy.knative-events.mapping.resize.trigger}.
 */
public class ResizeFunction {

    /** The type a KafkaSource gives every record that is not itself a CloudEvent. */
    public static final String KAFKA_SOURCE_TYPE = "dev.knative.kafka.event";

    private final ResizePipeline pipeline;
    private final List<String> allowedSources;

    ResizeFunction(ResizePipeline pipeline, ResizerConfig config) {
        this.pipeline = pipeline;
        this.allowedSources = config.http().allowedSources().orElse(List.of());
    }

    /**
     * @return the stored and ignored records (a KafkaSource discards it; the announcement on Kafka is what counts)
     */
    @Funq("resize")
    @CloudEventMapping(trigger = KAFKA_SOURCE_TYPE, responseType = "dev.imageresizer.resize.result", responseSource = "/image-resizer")
    public EventResult resize(CloudEvent<byte[]> event) {
        // the id and source are the sender's: printable, so that they cannot forge log lines
        String eventId = UntrustedText.printable(event.id());
        if (!allowed(allowedSources, event.source())) {
            String source = UntrustedText.printable(event.source());
            Log.warnf("%s refused: source %s is not in resizer.http.allowed-sources", eventId, source);
            throw Failure.rejected(Reason.SOURCE_NOT_ALLOWED, "CloudEvent source not allowed: " + source);
        }
        return pipeline.handle(eventId, event.data());
    }

    /** Whether {@code source} is in the allow-list (exactly, or by the prefix of an entry ending in {@code *}); an empty list allows all. */
    static boolean allowed(List<String> allowList, String source) {
        if (allowList.isEmpty()) {
            return true;
        }
        return source != null && allowList.stream()
                .anyMatch(entry -> entry.endsWith("*") ? source.startsWith(entry.substring(0, entry.length() - 1)) : source.equals(entry));
    }
}
