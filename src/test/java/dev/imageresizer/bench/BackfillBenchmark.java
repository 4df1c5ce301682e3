package dev.imageresizer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.imageresizer.local.LocalKafka;
import dev.imageresizer.local.LocalS3;
import dev.imageresizer.local.LocalServer;
import dev.imageresizer.local.ServerClasspath;
import dev.imageresizer.support.Images;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.ListObjectsArgs;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.messages.Item;

/**
 * The backfill command over many objects, in a small heap: the packaged application ({@code java -Xmx64m
 * -XX:+UseSerialGC -jar quarkus-run.jar backfill}) against the real S3 server (S3Proxy, filesystem backend) and Kafka.
 * <ol>
 * <li><b>walk</b>: 100,000 small objects (12 bytes each) under {@code walk/}, which the run excludes
 * ({@code resizer.source.exclude-prefixes=walk/}), so each object costs the pipeline only its decision and what is
 * measured is the walk itself: listing page by page, handing each page to the workers, a checkpoint per page. Once
 * over the first 10,000 of them ({@code --prefix walk/a/}), once over all 100,000: if memory were held per object, the
 * heap after a collection would grow tenfold between the two.</li>
 * <li><b>pipeline</b>: 1,000 small JPEGs (320x240, one synthetic picture) under {@code photos/}, resized (3 renditions and a manifest
 * each, announced on Kafka), then walked again (each already current: one lookup and an announcement): what an object
 * costs when it is not skipped, to scale the walk's figure by.</li>
 * </ol>
 * Each run's heap is read from its GC log ({@code -Xlog:gc}): the largest heap after a collection (what stays live)
 * and before one (the most ever in use). Prints a table (docs/benchmarks.md); about 35 minutes on two cores, most of it
 * the two listings of the 100,000 keys (alone, then by the backfill): S3Proxy reads every file under the prefix for each
 * page.
 * {@code ./mvnw verify -Pbench -Dit.test=BackfillBenchmark} ({@code -Dbench.walk.objects=...} for another count).
 */
class BackfillBenchmark {

    private static final Path PROJECT = ServerClasspath.projectDir();
    private static final Path OUT = PROJECT.resolve("target/bench");
    private static final int WALK_OBJECTS = Integer.getInteger("bench.walk.objects", 100_000);
    private static final int PHOTOS = Integer.getInteger("bench.photos", 1_000);
    private static final String HEAP = System.getProperty("bench.heap", "64m");
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final Pattern DONE = Pattern.compile("backfill: done, (\\d+) objects \\((\\d+) page\\(s\\)\\) in ([0-9.]+) s: (.*)");
    private static final Pattern GC = Pattern.compile("Pause.* (\\d+)M->(\\d+)M\\((\\d+)M\\)");

    /** One backfill run: what it walked and what it cost. */
    record Run(String name, long objects, long pages, double walkSeconds, double processSeconds, int liveMb, int peakMb, int heapMb, int collections,
            String load, String counts) {
    }

    @Test
    void walksABucketInBoundedMemory() throws Exception {
        assertTrue(Files.exists(PROJECT.resolve("target/quarkus-app/quarkus-run.jar")), "package the application first: ./mvnw package -DskipTests");
        Files.createDirectories(OUT);
        Path dir = Files.createTempDirectory(OUT, "backfill-");
        int kafkaPort = LocalServer.freePort();
        int s3Port = LocalServer.freePort();
        try (LocalServer kafka = LocalKafka.start(dir.resolve("kafka"), kafkaPort, LocalServer.freePort());
                LocalServer s3 = LocalS3.start(dir.resolve("s3"), s3Port, "bench", "bench-secret");
                MinioClient minio = MinioClient.builder().endpoint("http://127.0.0.1:" + s3Port).credentials("bench", "bench-secret").build()) {
            String bootstrap = "127.0.0.1:" + kafkaPort;
            LocalKafka.createTopics(bootstrap, 1, "minio-events", "image-renditions", "minio-events-dlq", "image-renditions-failed");
            minio.makeBucket(MakeBucketArgs.builder().bucket("images").build());

            long started = System.nanoTime();
            upload(minio, WALK_OBJECTS, BackfillBenchmark::walkKey, i -> ("object " + i + "\n").getBytes(StandardCharsets.UTF_8),
                    "text/plain");
            System.out.printf(Locale.ROOT, "backfill bench: %,d objects uploaded in %.0f s%n", WALK_OBJECTS, (System.nanoTime() - started) / 1e9);
            byte[] photo = Images.synthetic("jpg", 320, 240, false);
            System.out.printf(Locale.ROOT, "backfill bench: %,d JPEGs of 320x240, %,d bytes each%n", PHOTOS, photo.length);
            upload(minio, PHOTOS, i -> String.format(Locale.ROOT, "photos/%04d.jpg", i), i -> photo, "image/jpeg");

            // the server's share: the same ListObjectsV2 requests, pages of 1000, from this JVM, nothing done per object
            long listing = System.nanoTime();
            long listed = 0;
            for (Result<Item> item : minio.listObjects(ListObjectsArgs.builder().bucket("images").prefix("walk/").recursive(true).maxKeys(1000).build())) {
                item.get();
                listed++;
            }
            double listingSeconds = (System.nanoTime() - listing) / 1e9;
            System.out.printf(Locale.ROOT, "backfill bench: listing alone: %,d keys in %.1f s (%,.0f/s), load %s%n", listed, listingSeconds,
                    listed / listingSeconds, load());

            List<Run> runs = new ArrayList<>();
            Path checkpoint = dir.resolve("walk.checkpoint");
            runs.add(backfill("walk, first 10%", bootstrap, s3Port, "--prefix", "walk/a/"));
            runs.add(backfill("walk, all", bootstrap, s3Port, "--prefix", "walk/", "--checkpoint", checkpoint.toString()));
            runs.add(backfill("pipeline, resized", bootstrap, s3Port, "--prefix", "photos/"));
            runs.add(backfill("pipeline, already current", bootstrap, s3Port, "--prefix", "photos/"));

            System.out.printf(Locale.ROOT, "%nbackfill bench: java -Xmx%s -XX:+UseSerialGC, %d processors, concurrency %d, pages of 1000%n", HEAP,
                    Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().availableProcessors());
            System.out.println("| run | objects | pages | walk | objects/s | process (with startup) | heap after GC, max | heap in use, max | GCs | load before/after | outcome |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
            for (Run run : runs) {
                System.out.printf(Locale.ROOT, "| %s | %,d | %d | %.1f s | %,.0f | %.1f s | %d MB | %d MB of %d | %d | %s | %s |%n", run.name(), run.objects(), run.pages(),
                        run.walkSeconds(), run.objects() / run.walkSeconds(), run.processSeconds(), run.liveMb(), run.peakMb(), run.heapMb(),
                        run.collections(), run.load(), run.counts());
            }
            assertEquals(WALK_OBJECTS / 10, runs.get(0).objects());
            assertEquals(WALK_OBJECTS, runs.get(1).objects());
            assertEquals("images/" + walkKey(WALK_OBJECTS - 1), Files.readString(checkpoint),
                    "the checkpoint names the last page's last key");
            assertTrue(runs.get(2).counts().startsWith(PHOTOS + " written"), runs.get(2).counts());
            assertTrue(runs.get(3).counts().startsWith("0 written, " + PHOTOS + " already current"), runs.get(3).counts());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** The first tenth under {@code walk/a/}, the rest under {@code walk/b/}. */
    private static String walkKey(int i) {
        return String.format(Locale.ROOT, "walk/%s/%07d.txt", i < WALK_OBJECTS / 10 ? "a" : "b", i);
    }

    /** The machine's one-minute load average: the machine is shared, and the figures only mean something beside it. */
    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private interface Naming {
        String key(int i);
    }

    private interface Content {
        byte[] bytes(int i);
    }

    /** PUTs {@code count} objects, 8 at a time. */
    private static void upload(MinioClient minio, int count, Naming names, Content contents, String contentType) throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int n = i;
                sent.add(senders.submit(() -> {
                    byte[] bytes = contents.bytes(n);
                    minio.putObject(PutObjectArgs.builder().bucket("images").object(names.key(n))
                            .stream(new ByteArrayInputStream(bytes), bytes.length, -1).contentType(contentType).build());
                    return null;
                }));
                if (sent.size() == 1000) {
                    for (Future<?> f : sent) {
                        f.get();
                    }
                    sent.clear();
                }
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            senders.shutdownNow();
        }
    }

    /** The backfill command as an operator runs it, in a heap of {@link #HEAP}. */
    private static Run backfill(String name, String bootstrap, int s3Port, String... options) throws IOException, InterruptedException {
        // kept in target/bench for a look afterwards
        Path gcLog = OUT.resolve("backfill-" + name.replaceAll("\\W+", "-") + "-gc.log");
        Path log = OUT.resolve("backfill-" + name.replaceAll("\\W+", "-") + ".log");
        List<String> command = new ArrayList<>(List.of(JAVA, "-Xmx" + HEAP, "-XX:+UseSerialGC", "-Xlog:gc:file=" + gcLog,
                "-Dkafka.bootstrap.servers=" + bootstrap, "-Dquarkus.minio.host=127.0.0.1", "-Dquarkus.minio.port=" + s3Port,
                "-Dquarkus.minio.secure=false", "-Dquarkus.minio.access-key=bench", "-Dquarkus.minio.secret-key=bench-secret",
                "-Dresizer.source.exclude-prefixes=walk/", "-Dquarkus.log.level=WARN",
                "-jar", PROJECT.resolve("target/quarkus-app/quarkus-run.jar").toString(), "backfill"));
        command.addAll(List.of(options));
        String loadBefore = load();
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(process.waitFor(30, TimeUnit.MINUTES), name + " did not end");
        double processSeconds = (System.nanoTime() - started) / 1e9;
        String output = Files.readString(log);
        assertEquals(0, process.exitValue(), output);
        Matcher done = DONE.matcher(output);
        assertTrue(done.find(), output);
        int live = 0;
        int peak = 0;
        int heap = 0;
        int collections = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher gc = GC.matcher(line);
            if (gc.find()) {
                collections++;
                peak = Math.max(peak, Integer.parseInt(gc.group(1)));
                live = Math.max(live, Integer.parseInt(gc.group(2)));
                heap = Math.max(heap, Integer.parseInt(gc.group(3)));
            }
        }
        Run run = new Run(name, Long.parseLong(done.group(1)), Long.parseLong(done.group(2)), Double.parseDouble(done.group(3)), processSeconds,
                live, peak, heap, collections, loadBefore + " / " + load(), done.group(4));
        System.out.printf(Locale.ROOT, "backfill bench: %s: %s%n", name, run);
        return run;
    }
}
