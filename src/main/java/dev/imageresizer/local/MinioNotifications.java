package dev.imageresizer.local;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.imageresizer.event.KeyEncoding;

/**
 * Plays MinIO's notification step where no MinIO runs: publishes to Kafka exactly the record MinIO's Kafka target
 * writes ({@code internal/event/target/kafka.go}): value {@code {"EventName","Key","Records":[one event]}} with the
 * fields in MinIO's order, the object key {@code url.QueryEscape}d in {@code Records[0].s3.object.key}, the raw
 * {@code bucket/key} as top-level {@code Key} and as the record key, and no headers.
 */
public final class MinioNotifications implements AutoCloseable {

    /** What MinIO knows of an object when it notifies. */
    public record ObjectState(String bucket, String key, String eTag, long size, String contentType) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter AMZ_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final String PRINCIPAL = "minioadmin";
    private static final String NODE = "127.0.0.1:9000";

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public MinioNotifications(String bootstrapServers, String topic) {
        this(bootstrapServers, topic, Map.of());
    }

    /** @param clientProperties security settings and the like, for a broker that requires them */
    public MinioNotifications(String bootstrapServers, String topic, Map<String, Object> clientProperties) {
        Properties config = new Properties();
        config.putAll(clientProperties);
        config.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000));
        this.producer = new KafkaProducer<>(config);
        this.topic = topic;
    }

    /** Publishes one notification and waits for the broker to take it. */
    public void publish(String eventName, ObjectState object) {
        publishRaw(recordKey(object.bucket(), object.key()), event(eventName, object, Instant.now()));
    }

    /** Publishes any bytes as a record value, as a misbehaving producer might. */
    public void publishRaw(String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("publishing to " + topic + " failed", e);
        }
    }

    /** MinIO's Kafka record key: bucket and raw object name. */
    public static String recordKey(String bucket, String key) {
        return bucket + "/" + key;
    }

    /** The record value MinIO writes for {@code eventName} (with its {@code s3:} prefix) on {@code object}. */
    public static byte[] event(String eventName, ObjectState object, Instant time) {
        boolean removal = eventName.startsWith("s3:ObjectRemoved");
        ObjectNode log = JSON.createObjectNode();
        log.put("EventName", eventName);
        log.put("Key", recordKey(object.bucket(), object.key()));
        ObjectNode record = log.putArray("Records").addObject();
        record.put("eventVersion", "2.0");
        record.put("eventSource", "minio:s3");
        record.put("awsRegion", "");
        record.put("eventTime", AMZ_TIME.format(time));
        record.put("eventName", eventName);
        record.putObject("userIdentity").put("principalId", PRINCIPAL);
        ObjectNode request = record.putObject("requestParameters");
        request.put("principalId", PRINCIPAL);
        request.put("region", "");
        request.put("sourceIPAddress", "127.0.0.1");
        ObjectNode response = record.putObject("responseElements");
        if (removal) {
            response.put("content-length", "0");
        }
        response.put("x-amz-id-2", sha256Hex(NODE));
        response.put("x-amz-request-id", Long.toHexString(System.nanoTime()).toUpperCase());
        response.put("x-minio-deployment-id", "00000000-0000-4000-8000-000000000000");
        response.put("x-minio-origin-endpoint", "http://" + NODE);
        ObjectNode s3 = record.putObject("s3");
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", "Config");
        ObjectNode bucket = s3.putObject("bucket");
        bucket.put("name", object.bucket());
        bucket.putObject("ownerIdentity").put("principalId", PRINCIPAL);
        bucket.put("arn", "arn:aws:s3:::" + object.bucket());
        ObjectNode o = s3.putObject("object");
        o.put("key", KeyEncoding.encode(object.key()));
        if (!removal) {
            if (object.size() > 0) {
                o.put("size", object.size());
            }
            o.put("eTag", object.eTag());
            o.put("contentType", object.contentType());
            o.putObject("userMetadata").put("content-type", object.contentType());
        }
        long nanos = time.getEpochSecond() * 1_000_000_000L + time.getNano();
        o.put("sequencer", Long.toHexString(nanos).toUpperCase());
        ObjectNode source = record.putObject("source");
        source.put("host", "127.0.0.1");
        source.put("port", "");
        source.put("userAgent", "MinIO (linux; amd64) minio-go/v7.0.95 mc/RELEASE.2025-08-13T08-35-41Z");
        try {
            return JSON.writeValueAsString(log).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
