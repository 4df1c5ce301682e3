package dev.imageresizer.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.imageresizer.imaging.ImageData;
import dev.imageresizer.imaging.ImageDecoder;
import dev.imageresizer.imaging.ImageInfo;
import dev.imageresizer.imaging.ImageInspector;
import dev.imageresizer.local.LocalServer;
import dev.imageresizer.local.MinioNotifications;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.PackagedApp;
import dev.imageresizer.support.Store;
import dev.imageresizer.support.TestServers;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;

/**
 * Faults over the real stack, through each entry point: 500 uploads are notified at once, then, while they are being
 * resized, the Kafka broker is killed ({@code kill -9}) and restarted, the S3 server is killed and restarted, the
 * packaged application itself is killed mid-batch and restarted, and later stopped with SIGTERM (as Knative scales
 * down) and restarted. After recovery every original must have all three
 * renditions, each one complete and decodable at the size its metadata states; the counts are printed (delivered,
 * retried, duplicated, dead-lettered, lost), and dead-lettered and lost must be 0.
 * <p>
 * The HTTP path is driven the way {@code knative/400-kafkasource.yaml} configures the KafkaSource: ordered delivery
 * (one event in flight per partition, 4 partitions), 5 retries with exponential backoff from 1 s (2 to 32 s), then the
 * dead-letter sink, which here is a counter that must stay at 0.
 */
class FaultInjectionIT {

    private static final int UPLOADS = 500;
    private static final int PARTITIONS = 4;
    private static final Duration DEADLINE = Duration.ofMinutes(6);
    private static final String[] PHOTOS = { "leuven.jpg", "baboon.jpg", "building.jpg", "hubble-deep-field.jpg", "coffee.png", "chelsea-cat.png" };

    private Path dir;
    private int httpPort;
    private TestServers servers;
    private PackagedApp app;
    private int appStarts;
    private MinioClient minio;

    @BeforeEach
    void startServers() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "faults-");
        httpPort = LocalServer.freePort();
        servers = TestServers.builder().partitions(PARTITIONS).start(dir);
        minio = servers.minio();
    }

    @AfterEach
    void stopServers() throws Exception {
        if (app != null) {
            app.kill();
        }
        servers.close();
        if (!keep) {
            servers.deleteData(); // the servers' data (about 150 MB)
        }
    }

    @Test
    void directConsumerLosesNothing() throws Exception {
        startApp(true);
        List<ObjectState> originals = uploadAndNotify("direct/");

        Counts counts = injectFaultsUntilDone(originals, () -> 0, () -> records("minio-events-dlq", ""));

        counts.print("direct consumer");
        assertEquals(0, counts.deadLettered, "records on minio-events-dlq");
        assertEquals(0, counts.lost, "originals without all their renditions: " + counts.missing);
    }

    @Test
    void httpCloudEventsLoseNothing() throws Exception {
        startApp(false);
        List<ObjectState> originals = uploadAndNotify("http/");
        KafkaSourceDispatcher dispatcher = new KafkaSourceDispatcher(bootstrap(), "minio-events", PARTITIONS,
                URI.create("http://127.0.0.1:" + httpPort + "/"));
        dispatcher.start();
        Counts counts;
        try {
            counts = injectFaultsUntilDone(originals, dispatcher.retries::get, dispatcher.deadLettered::get);
        } finally {
            dispatcher.stop();
        }

        counts.print("HTTP CloudEvents (KafkaSource delivery: ordered, 5 retries, exponential from 1 s)");
        assertEquals(0, counts.deadLettered, "events sent to the dead-letter sink");
        assertEquals(0, counts.lost, "originals without all their renditions: " + counts.missing);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private List<ObjectState> uploadAndNotify(String prefix) throws Exception {
        Store store = new Store(minio);
        List<ObjectState> originals = new ArrayList<>();
        for (int i = 0; i < UPLOADS; i++) {
            String photo = PHOTOS[i % PHOTOS.length];
            originals.add(store.upload("images", prefix + i + "-" + photo, Images.fixture("photos/" + photo),
                    photo.endsWith(".png") ? "image/png" : "image/jpeg"));
        }
        try (MinioNotifications notifications = new MinioNotifications(bootstrap(), "minio-events")) {
            for (ObjectState original : originals) {
                notifications.publish("s3:ObjectCreated:Put", original);
            }
        }
        return originals;
    }

    /**
     * Kills and restarts Kafka, then S3, then the application, each once a share of the originals is done, and waits
     * until every original has its renditions or the deadline passes.
     */
    private Counts injectFaultsUntilDone(List<ObjectState> originals, IntSupplier retries, IntSupplier deadLettered) throws Exception {
        long start = System.nanoTime();
        String prefix = originals.get(0).key().substring(0, originals.get(0).key().indexOf('/') + 1);
        List<String> faults = new ArrayList<>();
        int done = 0;
        int stage = 0;
        while (done < UPLOADS && System.nanoTime() - start < DEADLINE.toNanos()) {
            Thread.sleep(200);
            done = completed(prefix);
            if (stage == 0 && done >= UPLOADS / 10) {
                faults.add("kill -9 Kafka at " + done + " done");
                servers.killKafka();
                Thread.sleep(5000);
                servers.startKafka();
                stage++;
            } else if (stage == 1 && done >= UPLOADS * 3 / 10) {
                faults.add("kill -9 S3 at " + done + " done");
                servers.killS3();
                Thread.sleep(5000);
                servers.startS3();
                stage++;
            } else if (stage == 2 && done >= UPLOADS * 5 / 10) {
                faults.add("kill -9 the application at " + done + " done");
                app.kill();
                startApp(isConsumer);
                stage++;
            } else if (stage == 3 && done >= UPLOADS * 7 / 10) {
                // a graceful stop, as Knative scaling down sends: events in flight finish or come again
                long stopping = System.nanoTime();
                assertTrue(app.stop(Duration.ofSeconds(45)), "the application did not stop within 45 s of SIGTERM");
                String log = app.logText();
                assertTrue(log.contains("stopped in"), "no orderly shutdown in the log: " + log.substring(Math.max(0, log.length() - 3000)));
                faults.add(String.format("SIGTERM to the application at %d done (stopped in %.1f s)", done, (System.nanoTime() - stopping) / 1e9));
                startApp(isConsumer);
                stage++;
            }
        }
        System.out.printf("faults: %s; all done after %.0f s%n", faults, (System.nanoTime() - start) / 1e9);
        assertEquals(4, stage, "every fault was injected mid-batch: " + faults);
        return count(originals, prefix, retries.getAsInt(), deadLettered.getAsInt());
    }

    private boolean isConsumer;
    private boolean keep;

    private void startApp(boolean consumer) throws Exception {
        isConsumer = consumer;
        appStarts++;
        app = PackagedApp.builder(dir.resolve("app-" + appStarts + ".log")).heap("512m").httpPort(httpPort).config(servers.appConfig())
                .config("resizer.consumer.enabled", Boolean.toString(consumer)).config("resizer.consumer.workers", "2")
                .config("resizer.consumer.retry-max-backoff", "2s").start();
    }

    /** Originals whose last rendition (thumb, made last) is stored. */
    private int completed(String prefix) {
        try {
            int count = 0;
            for (Result<Item> item : minio.listObjects(ListObjectsArgs.builder().bucket("processed").prefix("thumb/" + prefix).recursive(true).build())) {
                item.get();
                count++;
            }
            return count;
        } catch (Exception e) {
            return 0; // S3 is down: nothing to count now
        }
    }

    private Counts count(List<ObjectState> originals, String prefix, int dispatcherRetries, int deadLettered) throws Exception {
        Store store = new Store(minio);
        ImageInspector inspector = new ImageInspector(100_000_000L);
        ImageDecoder decoder = new ImageDecoder();
        int lost = 0;
        int corrupt = 0;
        List<String> missing = new ArrayList<>();
        for (ObjectState original : originals) {
            boolean complete = true;
            for (String rendition : List.of("large", "small", "thumb")) {
                String key = rendition + "/" + original.key();
                var stat = store.stat("processed", key);
                if (stat.isEmpty()) {
                    complete = false;
                    continue;
                }
                byte[] bytes = store.get("processed", key);
                try {
                    // the strict decoder refuses truncated data; the size must be the one stored with it
                    ImageInfo info = inspector.inspect(ImageData.of(bytes));
                    decoder.decode(ImageData.of(bytes), info, 1);
                    if (bytes.length != stat.get().size()
                            || info.width() != Integer.parseInt(stat.get().userMetadata().get("width"))
                            || info.height() != Integer.parseInt(stat.get().userMetadata().get("height"))
                            || !original.eTag().equals(stat.get().userMetadata().get("source-etag"))) {
                        corrupt++;
                    }
                } catch (RuntimeException e) {
                    corrupt++;
                }
            }
            if (!complete) {
                lost++;
                missing.add(original.key());
            }
        }
        assertEquals(0, corrupt, "renditions partial, corrupt or not matching their metadata");
        Map<String, Integer> announcements = announcements(prefix);
        int duplicated = announcements.values().stream().mapToInt(n -> n - 1).sum();
        int retried = dispatcherRetries;
        for (int i = 1; i <= appStarts; i++) {
            retried += (int) Files.readAllLines(dir.resolve("app-" + i + ".log")).stream().filter(l -> l.contains("retrying in") || l.contains("the sender will retry")).count();
        }
        if (lost > 0) {
            keep = true; // the servers' data and the application's logs stay for a look
            System.out.println("kept for inspection: " + dir);
        }
        return new Counts(announcements.size(), retried, duplicated, deadLettered, lost, appStarts - 1, missing);
    }

    private int records(String topic, String keyPrefix) {
        return recordsByKey(topic, keyPrefix).values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Announcements per original on image-renditions. */
    private Map<String, Integer> announcements(String prefix) {
        return recordsByKey("image-renditions", "images/" + prefix);
    }

    /** Records per key on a one-partition topic, for keys starting with {@code keyPrefix}. */
    private Map<String, Integer> recordsByKey(String topic, String keyPrefix) {
        Map<String, Integer> seen = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    if (record.key() != null && record.key().startsWith(keyPrefix)) {
                        seen.merge(record.key(), 1, Integer::sum);
                    }
                }
            }
        }
        return seen;
    }

    private String bootstrap() {
        return servers.bootstrap();
    }

    private record Counts(int delivered, int retried, int duplicated, int deadLettered, int lost, int restarts, List<String> missing) {
        void print(String path) {
            System.out.printf("%s: %d uploads, delivered %d, retried %d, duplicated %d, dead-lettered %d, lost %d (application restarted %d times)%n",
                    path, UPLOADS, delivered, retried, duplicated, deadLettered, lost, restarts);
        }
    }

    /**
     * Delivers the topic's records as a KafkaSource configured like {@code knative/400-kafkasource.yaml} does: one
     * thread per partition, one event at a time in offset order, as a binary CloudEvent with the KafkaSource's headers;
     * 2xx and 4xx (dead-lettered) end an event, anything else is retried 5 times with waits of 2, 4, 8, 16 and 32 s.
     */
    static final class KafkaSourceDispatcher {
        private static final int RETRIES = 5;
        private final String bootstrap;
        private final String topic;
        private final int partitions;
        private final URI sink;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        final AtomicInteger retries = new AtomicInteger();
        final AtomicInteger deadLettered = new AtomicInteger();
        final AtomicLong delivered = new AtomicLong();
        private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        private volatile boolean running = true;

        KafkaSourceDispatcher(String bootstrap, String topic, int partitions, URI sink) {
            this.bootstrap = bootstrap;
            this.topic = topic;
            this.partitions = partitions;
            this.sink = sink;
        }

        void start() {
            for (int p = 0; p < partitions; p++) {
                int partition = p;
                Thread thread = new Thread(() -> deliver(partition), "kafkasource-" + p);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
        }

        void stop() throws InterruptedException {
            running = false;
            for (Thread thread : threads) {
                thread.join(10_000);
            }
        }

        private void deliver(int partition) {
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
                TopicPartition assigned = new TopicPartition(topic, partition);
                consumer.assign(List.of(assigned));
                consumer.seekToBeginning(List.of(assigned));
                while (running) {
                    for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        send(record);
                        if (!running) {
                            return;
                        }
                    }
                }
            }
        }

        private void send(ConsumerRecord<String, byte[]> record) {
            long wait = 2000;
            for (int attempt = 0; attempt <= RETRIES && running; attempt++) {
                if (attempt > 0) {
                    retries.incrementAndGet();
                    sleep(wait);
                    wait *= 2;
                }
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(sink)
                            .timeout(Duration.ofSeconds(90))
                            .header("ce-specversion", "1.0")
                            .header("ce-id", "partition:" + record.partition() + "/offset:" + record.offset())
                            .header("ce-type", "dev.knative.kafka.event")
                            .header("ce-source", "/apis/v1/namespaces/faults/kafkasources/image-resizer-source#" + topic)
                            .header("ce-subject", "partition:" + record.partition() + "#" + record.offset())
                            .header("ce-time", Instant.ofEpochMilli(record.timestamp()).toString())
                            .header("ce-key", record.key())
                            .header("Prefer", "reply")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(record.value())).build(), HttpResponse.BodyHandlers.ofString());
                    int status = response.statusCode();
                    if (status / 100 == 2) {
                        delivered.incrementAndGet();
                        return;
                    }
                    if (status / 100 == 4 && status != 404 && status != 408 && status != 409 && status != 429) {
                        deadLettered.incrementAndGet();
                        return;
                    }
                } catch (IOException e) {
                    // the application is down or restarting: retried like a 5xx
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (running) {
                deadLettered.incrementAndGet();
            }
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
