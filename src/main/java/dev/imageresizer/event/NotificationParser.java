package dev.imageresizer.event;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.imageresizer.failure.Failure;
import dev.imageresizer.failure.Failure.Reason;
import dev.imageresizer.storage.ETag;

/**
 * Reads MinIO bucket notifications ({@code {"EventName", "Key", "Records": [...]}}) and plain AWS S3 notifications
 * ({@code {"Records": [...]}}). Bucket and key come from {@code Records[].s3}; the top-level {@code Key} and the Kafka
 * record key are never used, since only the record's key is encoded losslessly.
 */
public final class NotificationParser {

    private static final ObjectMapper JSON = new ObjectMapper();

    private NotificationParser() {
    }

    /**
     * @return the records of the notification, in order; empty for an S3 test event
     * @throws Failure.Rejected with {@link Reason#BAD_EVENT} when the payload is not a bucket notification
     */
    public static List<ObjectEvent> parse(byte[] payload) {
        if (payload == null || payload.length == 0) {
            throw Failure.rejected(Reason.BAD_EVENT, "empty event: no bucket notification in the payload");
        }
        JsonNode root = readJson(payload);
        if (root.isTextual()) {
            // a structured CloudEvent may carry the notification as a JSON string
            root = readJson(root.textValue().getBytes(StandardCharsets.UTF_8));
        }
        if (!root.isObject()) {
            throw Failure.rejected(Reason.BAD_EVENT, "not a bucket notification: the payload is JSON but not an object");
        }
        JsonNode records = root.get("Records");
        if (records == null || records.isNull()) {
            if ("s3:TestEvent".equals(root.path("Event").asText())) {
                return List.of();
            }
            throw Failure.rejected(Reason.BAD_EVENT, "not a bucket notification: no Records");
        }
        if (!records.isArray()) {
            throw Failure.rejected(Reason.BAD_EVENT, "not a bucket notification: Records is not an array");
        }
        List<ObjectEvent> events = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            events.add(record(records.get(i), i));
        }
        return events;
    }

    private static ObjectEvent record(JsonNode record, int index) {
        String eventName = text(record.get("eventName"), index, "eventName");
        JsonNode s3 = record.path("s3");
        String bucket = text(s3.path("bucket").get("name"), index, "s3.bucket.name");
        String key = KeyEncoding.decode(text(s3.path("object").get("key"), index, "s3.object.key"));
        JsonNode object = s3.path("object");
        ETag eTag = object.hasNonNull("eTag") ? ETag.parse(object.get("eTag").asText()).orElse(null) : null;
        Long size = object.path("size").canConvertToLong() ? object.get("size").asLong() : null;
        if (eventName.startsWith("s3:")) {
            eventName = eventName.substring(3);
        }
        return new ObjectEvent(eventName, bucket, key, eTag, size);
    }

    private static String text(JsonNode node, int index, String field) {
        if (node == null || !node.isTextual()) {
            throw Failure.rejected(Reason.BAD_EVENT, "not a bucket notification: Records[" + index + "]." + field + " is missing");
        }
        return node.textValue();
    }

    private static JsonNode readJson(byte[] bytes) {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw Failure.rejected(Reason.BAD_EVENT, "empty event: no bucket notification in the payload");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw Failure.rejected(Reason.BAD_EVENT, "not a bucket notification: the payload is not JSON (" + UntrustedText.printable(e.getOriginalMessage()) + ")", e);
        } catch (IOException e) {
            throw Failure.rejected(Reason.BAD_EVENT, "not a bucket notification: " + UntrustedText.printable(e.getMessage()), e);
        }
    }
}
