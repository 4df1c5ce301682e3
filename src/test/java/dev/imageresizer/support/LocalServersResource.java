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
    public static final String SOURCE_BUCKET = "images";
    public static final String DESTINATION_BUCKET = "processed";

    private static LocalServer kafka;
    private static volatile LocalServer s3;
    private static Path s3Dir;
    private static int s3Port;

    @Override
    public Map<String, String> start() {
        try {
            Path runs = ServerClasspath.projectDir().resolve("target/test-servers");
            deleteEarlierRuns(runs);
            Path dir = runs.resolve(Long.toString(System.currentTimeMillis()));
            int kafkaPort = LocalServer.freePort();
            int controllerPort = LocalServer.freePort();
            s3Port = LocalServer.freePort();
            s3Dir = dir.resolve("s3");
            CompletableFuture<LocalServer> startingKafka = CompletableFuture.supplyAsync(() -> unchecked(
                    () -> LocalKafka.start(dir.resolve("kafka"), kafkaPort, controllerPort)));
            s3 = LocalS3.start(s3Dir, s3Port, ACCESS_KEY, SECRET_KEY);
            kafka = startingKafka.join();
            String bootstrap = "127.0.0.1:" + kafkaPort;
            LocalKafka.createTopics(bootstrap, 1, EVENTS_TOPIC, RENDITIONS_TOPIC, DLQ_TOPIC);
            // the source bucket exists, as in any deployment; the destination bucket is left for the resizer to create
            MinioClient minio = MinioClient.builder().endpoint("http://127.0.0.1:" + s3Port).credentials(ACCESS_KEY, SECRET_KEY).build();
            minio.makeBucket(MakeBucketArgs.builder().bucket(SOURCE_BUCKET).build());
            return Map.of(
                    "kafka.bootstrap.servers", bootstrap,
                    "quarkus.minio.host", "127.0.0.1",
                    "quarkus.minio.port", Integer.toString(s3Port),
                    "quarkus.minio.secure", "false",
                    "quarkus.minio.access-key", ACCESS_KEY,
                    "quarkus.minio.secret-key", SECRET_KEY,
                    "resizer.consumer.retry-initial-backoff", "200ms",
                    "resizer.consumer.retry-max-backoff", "1s");
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
