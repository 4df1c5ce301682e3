package dev.imageresizer.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.imageresizer.local.LocalKafka;
import dev.imageresizer.local.LocalS3;
import dev.imageresizer.local.LocalServer;
import dev.imageresizer.local.ServerClasspath;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * The real servers the integration tests run against, each its own process from Maven Central jars: Apache Kafka 4.1
 * (KRaft) and S3Proxy 4.1 (filesystem backend), on free ports, with data under {@code target/test-servers}. Started in
 * parallel once per test run; the S3 server can be stopped and restarted on the same port and data to play an outage.
 */
public class LocalServersResource implements QuarkusTestResourceLifecycleManager {

    public static final String ACCESS_KEY = "resizer-test";
    public static final String SECRET_KEY = "resizer-test-secret";
    public static final String EVENTS_TOPIC = "minio-events";
    public static final String RENDITIONS_TOPIC = "image-renditions";
    public static final String DLQ_TOPIC = "minio-events-dlq";
    public static final String FAILED_TOPIC = "image-renditions-failed";
    public static final String SOURCE_BUCKET = "images";
    public static final String DESTINATION_BUCKET = "processed";

    private static volatile LocalServer kafka;
    private static volatile LocalServer s3;
    private static Path kafkaDir;
    private static int kafkaPort;
    private static int controllerPort;
    private static Path s3Dir;
    private static int s3Port;

    @Override
    public Map<String, String> start() {
        try {
            Path runs = ServerClasspath.projectDir().resolve("target/test-servers");
            deleteEarlierRuns(runs);
            Path dir = runs.resolve(Long.toString(System.currentTimeMillis()));
            kafkaPort = LocalServer.freePort();
            controllerPort = LocalServer.freePort();
            kafkaDir = dir.resolve("kafka");
            s3Port = LocalServer.freePort();
            s3Dir = dir.resolve("s3");
            CompletableFuture<LocalServer> startingKafka = CompletableFuture.supplyAsync(() -> unchecked(
                    () -> LocalKafka.start(kafkaDir, kafkaPort, controllerPort)));
            s3 = LocalS3.start(s3Dir, s3Port, ACCESS_KEY, SECRET_KEY);
            kafka = startingKafka.join();
            String bootstrap = bootstrapServers();
            LocalKafka.createTopics(bootstrap, 1, EVENTS_TOPIC, RENDITIONS_TOPIC, DLQ_TOPIC, FAILED_TOPIC);
            // the source bucket exists, as in any deployment; the destination bucket is left for the resizer to create
            MinioClient minio = MinioClient.builder().endpoint("http://127.0.0.1:" + s3Port).credentials(ACCESS_KEY, SECRET_KEY).build();
            minio.makeBucket(MakeBucketArgs.builder().bucket(SOURCE_BUCKET).build());
            return Map.ofEntries(
                    Map.entry("kafka.bootstrap.servers", bootstrap),
                    Map.entry("quarkus.minio.host", "127.0.0.1"),
                    Map.entry("quarkus.minio.port", Integer.toString(s3Port)),
                    Map.entry("quarkus.minio.secure", "false"),
                    Map.entry("quarkus.minio.access-key", ACCESS_KEY),
                    Map.entry("quarkus.minio.secret-key", SECRET_KEY),
                    Map.entry("resizer.consumer.retry-initial-backoff", "200ms"),
                    Map.entry("resizer.consumer.retry-max-backoff", "1s"),
                    // a broker outage fails an announcement within seconds, not the production 20 s
                    Map.entry("mp.messaging.outgoing.image-renditions.delivery.timeout.ms", "4000"),
                    Map.entry("mp.messaging.outgoing.image-renditions.request.timeout.ms", "2000"),
                    Map.entry("mp.messaging.outgoing.image-renditions.max.block.ms", "3000"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("creating the source bucket failed", e);
        }
    }

    @Override
    public void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** Stops the S3 server, as an outage. */
    public static void stopS3() {
        s3.close();
    }

    /** The S3 server's endpoint, for tests that cannot inject the application's client (black-box ITs). */
    public static String s3Endpoint() {
        return "http://127.0.0.1:" + s3Port;
    }

    /** The Kafka broker's bootstrap address. */
    public static String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    /** Stops the Kafka broker, as an outage. */
    public static void stopKafka() {
        kafka.close();
    }

    /** Starts the Kafka broker again on the same ports and data. */
    public static void startKafka() throws IOException, InterruptedException {
        kafka = LocalKafka.start(kafkaDir, kafkaPort, controllerPort);
    }

    /** Starts the S3 server again on the same port and data. */
    public static void startS3() throws IOException, InterruptedException {
        s3 = LocalS3.start(s3Dir, s3Port, ACCESS_KEY, SECRET_KEY);
    }

    /** Keeps only the latest run's servers, logs and data for a post-mortem. */
    private static void deleteEarlierRuns(Path runs) throws IOException {
        if (!Files.isDirectory(runs)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(runs)) {
            tree.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(runs)).forEach(p -> p.toFile().delete());
        }
    }

    private interface Start {
        LocalServer run() throws IOException, InterruptedException;
    }

    private static LocalServer unchecked(Start start) {
        try {
            return start.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
