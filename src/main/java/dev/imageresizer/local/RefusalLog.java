package dev.imageresizer.local;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * The refusals the pipeline recorded on the failure topic ({@code image-renditions-failed}, one record per refused
 * original keyed {@code bucket/key}, its value the {@code Rejection} as JSON), read back for the dev page: the tail of
 * each partition, with a client that joins no group and commits nothing.
 */
final class RefusalLog {

    /** How far back each partition is read: enough for a development bucket, bounded for any other. */
    static final int TAIL = 10_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final Map<String, Object> kafka;
    private final String topic;

    /** @param kafka the application's Kafka client settings (bootstrap servers, security) */
    RefusalLog(Map<String, Object> kafka, String topic) {
        this.kafka = kafka;
        this.topic = topic;
    }

    /**
     * The latest refusal of each object named, among the last {@link #TAIL} records of each partition.
     *
     * @param subjects {@code bucket/key} of the objects asked about
     * @return by {@code bucket/key}: {@code {eventId, bucket, key, etag, reason, message}}
     * @throws org.apache.kafka.common.KafkaException when the broker does not answer within a few seconds
     */
    Map<String, JsonObject> latest(Set<String> subjects) {
        Properties config = new Properties();
        config.putAll(kafka);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "resizer-dev-page");
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Map<String, JsonObject> latest = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = Optional.ofNullable(consumer.partitionsFor(topic, TIMEOUT)).orElse(List.of()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, TIMEOUT);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            for (TopicPartition partition : partitions) {
                consumer.seek(partition, Math.max(begin.get(partition), end.get(partition) - TAIL));
            }
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, TIMEOUT) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && subjects.contains(record.key())) {
                        try {
                            latest.put(record.key(), new JsonObject(record.value()));
                        } catch (DecodeException e) {
                            // not a Rejection: not ours to show
                        }
                    }
                }
            }
        }
        return latest;
    }
}
