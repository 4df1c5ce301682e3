package dev.imageresizer.support;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * An HTTP request exactly as a KafkaSource's dispatcher sends a MinIO record (eventing-kafka-broker
 * {@code InvalidCloudEventInterceptor} and {@code WebClientCloudEventSender}): binary mode, type
 * {@code dev.knative.kafka.event}, id {@code partition:P/offset:O}, the record key in {@code ce-key} and
 * {@code ce-partitionkey}, partition and offset extensions, {@code Prefer: reply}, {@code Kn-Namespace}, the raw record
 * value as body and <b>no Content-Type</b>, because MinIO's records carry no content-type header.
 */
public final class KafkaSourceRequest {

    private static final String NAMESPACE = "media";
    private static final String SOURCE = "minio-image-events";

    private KafkaSourceRequest() {
    }

    public static Response send(String recordKey, byte[] recordValue, long offset) {
        return request(recordKey, offset).body(recordValue).post("/");
    }

    /** The request without its body, for variations. */
    public static RequestSpecification request(String recordKey, long offset) {
        return request(recordKey, offset, "dev.knative.kafka.event");
    }

    /** The request without its body, with another CloudEvent type. */
    public static RequestSpecification request(String recordKey, long offset, String type) {
        return request(recordKey, offset, type, "/apis/v1/namespaces/" + NAMESPACE + "/kafkasources/" + SOURCE + "#" + LocalServersResource.EVENTS_TOPIC);
    }

    /** The request without its body, with another CloudEvent type and source. */
    public static RequestSpecification request(String recordKey, long offset, String type, String source) {
        RequestSpecification request = given()
                .config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .contentType("")
                .header("ce-specversion", "1.0")
                .header("ce-id", "partition:0/offset:" + offset)
                .header("ce-type", type)
                .header("ce-source", source)
                .header("ce-subject", "partition:0#" + offset)
                .header("ce-time", "2026-11-24T10:00:00.000Z")
                .header("ce-knativekafkapartition", "0")
                .header("ce-knativekafkaoffset", Long.toString(offset))
                .header("Prefer", "reply")
                .header("Kn-Namespace", NAMESPACE);
        if (recordKey != null) {
            // sdk-java writes header values as they are; only ASCII survives the HTTP header, as with a real dispatcher
            String ascii = recordKey.chars().allMatch(c -> c < 128) ? recordKey : recordKey.replaceAll("[^\\x20-\\x7e]", "?");
            request.header("ce-key", ascii).header("ce-partitionkey", ascii);
        }
        return request;
    }
}
