package dev.imageresizer.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.imageresizer.local.MinioNotifications;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.failure.Failure;
import dev.imageresizer.storage.ETag;
import dev.imageresizer.support.Images;

class NotificationParserTest {

    private static final Path SAMPLES = Images.FIXTURES.resolve("minio-events");

    /** Each MinIO sample with its Kafka record key, from kafka-keys.tsv. */
    static Stream<Arguments> minioSamples() throws IOException {
        return Files.readAllLines(SAMPLES.resolve("kafka-keys.tsv")).stream().skip(1)
                .map(line -> line.split("\t"))
                .map(cells -> Arguments.of(cells[0], cells[1]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("minioSamples")
    void bucketAndDecodedKeyOfEveryMinioSampleAreItsRecordKey(String file, String recordKey) throws IOException {
        byte[] payload = Files.readAllBytes(SAMPLES.resolve(file));
        List<ObjectEvent> events = NotificationParser.parse(payload);

        assertEquals(1, events.size());
        assertEquals(recordKey, events.get(0).path());
        JsonNode json = new ObjectMapper().readTree(payload);
        assertEquals(json.get("Key").asText(), events.get(0).path());
        assertEquals(json.get("EventName").asText(), "s3:" + events.get(0).eventName());
    }

    @Test
    void readsTheFieldsOfAPut() throws IOException {
        ObjectEvent put = NotificationParser.parse(Files.readAllBytes(SAMPLES.resolve("03-put-spaces-unicode-plus.json"))).get(0);

        assertEquals("ObjectCreated:Put", put.eventName());
        assertEquals("images", put.bucket());
        assertEquals("gallery/Été 2025/Café+Crème (1) ü.jpg", put.key());
        assertEquals(ETag.of("8ab3b19e134f01fbaf94b8e15f3df090"), put.eTag());
        assertEquals(912044L, put.size());
    }

    @Test
    void aRemovalHasNoETagOrSize() throws IOException {
        ObjectEvent removed = NotificationParser.parse(Files.readAllBytes(SAMPLES.resolve("07-removed-delete.json"))).get(0);

        assertEquals("ObjectRemoved:Delete", removed.eventName());
        assertNull(removed.eTag());
        assertNull(removed.size());
    }

    @Test
    void readsAPlainAwsNotificationWithSeveralRecords() {
        String aws = """
                {"Records":[
                  {"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"eu-west-1","eventTime":"2026-11-24T10:00:00.000Z",
                   "eventName":"ObjectCreated:Put","s3":{"s3SchemaVersion":"1.0","configurationId":"resize",
                   "bucket":{"name":"images","arn":"arn:aws:s3:::images"},
                   "object":{"key":"holiday/my+photo%281%29.jpg","size":1024,"eTag":"0123456789abcdef0123456789abcdef","sequencer":"0A1B2C3D4E5F678901"}}},
                  {"eventVersion":"2.1","eventSource":"aws:s3","eventName":"ObjectCreated:CompleteMultipartUpload",
                   "s3":{"bucket":{"name":"images"},"object":{"key":"big.tif","size":73400320,"eTag":"\\"aaaabbbbccccddddeeeeffff00001111-9\\""}}}
                ]}""";

        List<ObjectEvent> events = NotificationParser.parse(aws.getBytes(StandardCharsets.UTF_8));

        assertEquals(List.of(
                new ObjectEvent("ObjectCreated:Put", "images", "holiday/my photo(1).jpg", ETag.of("0123456789abcdef0123456789abcdef"), 1024L),
                new ObjectEvent("ObjectCreated:CompleteMultipartUpload", "images", "big.tif", ETag.of("aaaabbbbccccddddeeeeffff00001111-9"), 73400320L)),
                events);
    }

    @Test
    void anS3TestEventHasNoRecords() {
        String test = """
                {"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-11-24T10:00:00.000Z","Bucket":"images","RequestId":"X","HostId":"Y"}""";

        assertTrue(NotificationParser.parse(test.getBytes(StandardCharsets.UTF_8)).isEmpty());
    }

    @Test
    void readsTheNotificationFromAJsonString() throws IOException {
        String sample = Files.readString(SAMPLES.resolve("01-put-rose.json")).strip();
        byte[] asString = new ObjectMapper().writeValueAsBytes(sample);

        assertEquals("images/rose.jpg", NotificationParser.parse(asString).get(0).path());
    }

    @Test
    void readsWhatTheLocalNotificationFeedPublishes() {
        ObjectState object = new ObjectState("images", "a b/c+d ü.png", "abc123", 42, "image/png");
        byte[] value = MinioNotifications.event("s3:ObjectCreated:Put", object, java.time.Instant.parse("2026-11-24T10:00:00Z"));

        assertEquals(List.of(new ObjectEvent("ObjectCreated:Put", "images", "a b/c+d ü.png", ETag.of("abc123"), 42L)), NotificationParser.parse(value));
    }

    @Test
    void theLocalFeedWritesMinioFieldsInMinioOrder() throws IOException {
        JsonNode sample = new ObjectMapper().readTree(SAMPLES.resolve("01-put-rose.json").toFile());
        JsonNode ours = new ObjectMapper().readTree(MinioNotifications.event("s3:ObjectCreated:Put",
                new ObjectState("images", "rose.jpg", "534d47334b70cd434073480747717033", 184213, "image/jpeg"), java.time.Instant.now()));

        assertEquals(fieldPaths(sample, ""), fieldPaths(ours, ""));
    }

    private static List<String> fieldPaths(JsonNode node, String at) {
        List<String> paths = new java.util.ArrayList<>();
        if (node.isObject()) {
            node.fieldNames().forEachRemaining(name -> {
                paths.add(at + "/" + name);
                paths.addAll(fieldPaths(node.get(name), at + "/" + name));
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                paths.addAll(fieldPaths(node.get(i), at + "/" + i));
            }
        }
        return paths;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "not json", "[1,2]", "42", "{}", "{\"Records\":{}}", "{\"Records\":[{}]}",
            "{\"Records\":[{\"eventName\":\"s3:ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"images\"},\"object\":{}}}]}",
            "{\"Records\":[{\"eventName\":\"s3:ObjectCreated:Put\",\"s3\":{\"bucket\":{\"name\":\"images\"},\"object\":{\"key\":\"100%.jpg\"}}}]}",
    })
    void rejectsWhatIsNotABucketNotification(String payload) {
        Failure.Rejected rejected = assertThrows(Failure.Rejected.class,
                () -> NotificationParser.parse(payload.getBytes(StandardCharsets.UTF_8)));

        assertEquals(Failure.Reason.BAD_EVENT, rejected.reason());
    }
}
