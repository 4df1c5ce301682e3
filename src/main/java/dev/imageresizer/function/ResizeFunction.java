package dev.imageresizer.function;

import dev.imageresizer.pipeline.EventResult;
import dev.imageresizer.pipeline.ResizePipeline;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventMapping;

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

    ResizeFunction(ResizePipeline pipeline) {
        this.pipeline = pipeline;
    }

    /**
     * @return the stored and ignored records (a KafkaSource discards it; the announcement on Kafka is what counts)
     */
    @Funq("resize")
    @CloudEventMapping(trigger = KAFKA_SOURCE_TYPE, responseType = "dev.imageresizer.resize.result", responseSource = "/image-resizer")
    public EventResult resize(CloudEvent<byte[]> event) {
        return pipeline.handle(event.id(), event.data());
    }
}
