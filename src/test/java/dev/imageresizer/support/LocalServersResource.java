package dev.imageresizer.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.imageresizer.local.ServerClasspath;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The {@link TestServers} of the Quarkus tests (Kafka and S3, one partition, the source bucket), started once per test
 * run with data under {@code target/test-servers}, and the application's configuration to reach them. Tests stop and
 * restart either server through the static methods to play an outage.
 */
public class LocalServersResource implements QuarkusTestResourceLifecycleManager {

    public static final String ACCESS_KEY = TestServers.ACCESS_KEY;
    public static final String SECRET_KEY = TestServers.SECRET_KEY;
    public static final String EVENTS_TOPIC = TestServers.EVENTS_TOPIC;
    public static final String RENDITIONS_TOPIC = TestServers.RENDITIONS_TOPIC;
    public static final String DLQ_TOPIC = TestServers.DLQ_TOPIC;
    public static final String FAILED_TOPIC = TestServers.FAILED_TOPIC;
    public static final String SOURCE_BUCKET = TestServers.SOURCE_BUCKET;
    public static final String DESTINATION_BUCKET = "processed";

    private static volatile TestServers servers;

    @Override
    public Map<String, String> start() {
        try {
            // only the latest run's servers, logs and data stay, for a post-mortem
            Path runs = ServerClasspath.projectDir().resolve("target/test-servers");
            TestServers.deleteTree(runs);
            // the source bucket exists, as in any deployment; the destination bucket is left for the resizer to create
            servers = TestServers.builder().start(runs.resolve(Long.toString(System.currentTimeMillis())));
            Map<String, String> config = new LinkedHashMap<>(servers.appConfig());
            config.put("resizer.consumer.retry-initial-backoff", "200ms");
            config.put("resizer.consumer.retry-max-backoff", "1s");
            // a broker outage fails an announcement within seconds, not the production 20 s
            config.put("mp.messaging.outgoing.image-renditions.delivery.timeout.ms", "4000");
            config.put("mp.messaging.outgoing.image-renditions.request.timeout.ms", "2000");
            config.put("mp.messaging.outgoing.image-renditions.max.block.ms", "3000");
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    /** The running servers, for tests that cannot inject the application's clients (black-box ITs). */
    public static TestServers servers() {
        return servers;
    }

    /** The S3 server's endpoint. */
    public static String s3Endpoint() {
        return servers.s3Endpoint();
    }

    /** The Kafka broker's bootstrap address. */
    public static String bootstrapServers() {
        return servers.bootstrap();
    }

    /** Stops the S3 server, as an outage. */
    public static void stopS3() {
        servers.stopS3();
    }

    /** Starts the S3 server again on the same port and data. */
    public static void startS3() throws IOException, InterruptedException {
        servers.startS3();
    }

    /** Stops the Kafka broker, as an outage. */
    public static void stopKafka() {
        servers.stopKafka();
    }

    /** Starts the Kafka broker again on the same ports and data. */
    public static void startKafka() throws IOException, InterruptedException {
        servers.startKafka();
    }
}
