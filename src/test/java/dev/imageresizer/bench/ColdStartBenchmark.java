package dev.imageresizer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.imageresizer.local.MinioNotifications;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.local.ServerClasspath;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.PackagedApp;
import dev.imageresizer.support.Store;
import dev.imageresizer.support.TestServers;

/**
 * Cold start of the packaged application, as a scale-from-zero pod lives it: from process start to ready
 * ({@code /q/health/ready} answers 200) and to the first event's renditions stored (the KafkaSource's request, held by
 * the activator until the pod is ready, sent at that moment; a 2 MP JPEG, three renditions, announcement acknowledged),
 * then the resident set idle (at ready, before the event) and after 20 more such events. Real Kafka and S3 processes;
 * each launch a new process and new objects. The variants run interleaved in this one run: plain {@code java -jar};
 * the JVM image's setup (the class archive trained by {@code src/main/docker/train-archive.sh}, serial GC, C1); where a
 * JDK 25 is installed, the same with its AOT cache; and where {@code ./mvnw package -Dnative} has built it, the native
 * executable ({@code -Dbench.native} names another). Needs {@code target/quarkus-app}:
 * {@code ./mvnw verify -Pbench -Dit.test=ColdStartBenchmark}.
 */
class ColdStartBenchmark {

    private static final int LAUNCHES = Integer.getInteger("bench.launches", 5);
    private static final int MORE_IMAGES = 20;
    private static final Path APP = ServerClasspath.projectDir().resolve("target/quarkus-app");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();

    /** How one variant is started: java and its options, or a native executable. */
    private record Variant(String java, List<String> options, Path executable) {
    }

    @Test
    void coldStart() throws Exception {
        Path dir = Files.createDirectories(ServerClasspath.projectDir().resolve("target/bench-servers"));
        try (TestServers servers = TestServers.builder().start(Files.createTempDirectory(dir, "cold-start-"))) {
            Store store = new Store(servers.minio());
            byte[] photo = Images.fixture("photos/elephants-1920.jpg"); // 1920x1080, 2.1 MP

            String java17 = ProcessHandle.current().info().command().orElseThrow();
            Map<String, Variant> variants = new LinkedHashMap<>();
            variants.put("java -jar, JDK " + Runtime.version().feature(), new Variant(java17, List.of(), null));
            variants.put("as the image: trained AppCDS, SerialGC, C1", new Variant(java17, train(java17, "app-bench.jsa"), null));
            Path java25 = Path.of(System.getProperty("bench.java25", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));
            if (Files.isExecutable(java25)) {
                variants.put("JDK 25: trained AOT cache, SerialGC, C1", new Variant(java25.toString(), train(java25.toString(), "app-bench.aot"), null));
            }
            Optional<Path> executable = nativeExecutable();
            executable.ifPresent(runner -> variants.put("native executable", new Variant(null, List.of(), runner)));
            Map<String, List<long[]>> results = new LinkedHashMap<>();
            variants.keySet().forEach(v -> results.put(v, new ArrayList<>()));
            for (int launch = 0; launch < LAUNCHES; launch++) {
                for (Map.Entry<String, Variant> variant : variants.entrySet()) {
                    String prefix = "cold/" + launch + "/" + variant.getKey().replaceAll("\\W", "") + "/";
                    List<ObjectState> originals = new ArrayList<>();
                    for (int i = 0; i <= MORE_IMAGES; i++) {
                        originals.add(store.upload("images", prefix + i + ".jpg", photo, "image/jpeg"));
                    }
                    results.get(variant.getKey()).add(launch(variant.getValue(), servers.appConfig(), originals));
                }
            }
            try (Stream<Path> trained = Files.list(APP)) {
                for (Path file : trained.filter(f -> f.getFileName().toString().startsWith("app-bench.")).toList()) {
                    Files.delete(file);
                }
            }
            System.out.printf(Locale.ROOT, "%ncold start, %d launches each, medians (min-max) from process start; RSS idle at ready, "
                    + "then after %d more 2 MP images:%n", LAUNCHES, MORE_IMAGES);
            for (Map.Entry<String, List<long[]>> result : results.entrySet()) {
                System.out.printf(Locale.ROOT, "%-42s ready %s ms | first 2 MP image stored %s ms | 'started in' %s ms | RSS idle %s MB, after %d images %s MB%n",
                        result.getKey(), stats(result.getValue(), 0), stats(result.getValue(), 1), stats(result.getValue(), 2),
                        stats(result.getValue(), 3), MORE_IMAGES, stats(result.getValue(), 4));
            }
            System.out.printf(Locale.ROOT, "size: target/quarkus-app %d MB (plus a JRE)%s%n", directorySize(APP) >> 20,
                    executable.map(runner -> String.format(Locale.ROOT, ", native executable %d MB (%s)", size(runner) >> 20, runner.getFileName())).orElse(
                            ", no native executable: ./mvnw package -Dnative builds it"));
        }
    }

    /** {@code -Dbench.native}, else the {@code target/*-runner} that {@code ./mvnw package -Dnative} wrote, if any. */
    private static Optional<Path> nativeExecutable() throws IOException {
        String named = System.getProperty("bench.native");
        if (named != null) {
            return Optional.of(Path.of(named));
        }
        try (Stream<Path> files = Files.list(ServerClasspath.projectDir().resolve("target"))) {
            return files.filter(f -> f.getFileName().toString().endsWith("-runner") && Files.isExecutable(f)).findFirst();
        }
    }

    /** Trains a class archive with the image's own script, for the given JVM; @return its JVM options */
    private static List<String> train(String java, String archive) throws IOException, InterruptedException {
        Path script = ServerClasspath.projectDir().resolve("src/main/docker/train-archive.sh");
        ProcessBuilder training = new ProcessBuilder(script.toString(), APP.toString(), archive).redirectErrorStream(true);
        training.environment().put("PATH", Path.of(java).getParent() + ":" + System.getenv("PATH"));
        Process process = training.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), output);
        return List.of(Files.readString(APP.resolve(archive + ".options")).strip().split("\\s+"));
    }

    /**
     * @param originals the first event's object, then {@link #MORE_IMAGES} more
     * @return milliseconds from process start to ready and to the first event done, Quarkus' own "started in", and the
     *         resident set in MB at ready and after the other events
     */
    private static long[] launch(Variant variant, Map<String, String> config, List<ObjectState> originals) throws Exception {
        Path log = Files.createTempFile("cold-start", ".log");
        PackagedApp.Builder builder = PackagedApp.builder(log).config(config).readyPoll(Duration.ofMillis(2));
        if (variant.executable() != null) {
            builder.artifact(variant.executable());
        } else { // from the application's directory, as in the container: the AppCDS archive records relative class paths
            builder.java(variant.java(), variant.options()).workingDirectory(APP);
        }
        PackagedApp app = builder.start();
        try {
            long idleRss = rss(app.pid());
            resize(app, originals.get(0));
            long doneAt = System.nanoTime();
            for (ObjectState original : originals.subList(1, originals.size())) {
                resize(app, original);
            }
            return new long[] { (app.readyAt() - app.startedAt()) / 1_000_000, (doneAt - app.startedAt()) / 1_000_000, startedIn(app.logText()),
                    idleRss >> 20, rss(app.pid()) >> 20 };
        } finally {
            app.stop(Duration.ofMinutes(1));
            Files.deleteIfExists(log);
        }
    }

    /** One event as a KafkaSource delivers it; returns when its three renditions are stored and announced. */
    private static void resize(PackagedApp app, ObjectState original) throws IOException, InterruptedException {
        HttpRequest event = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/"))
                .header("ce-specversion", "1.0").header("ce-id", "partition:0/offset:" + Math.floorMod(original.key().hashCode(), 1_000_000_000))
                .header("ce-type", "dev.knative.kafka.event").header("ce-source", "/apis/v1/namespaces/bench/kafkasources/minio#minio-events")
                .POST(HttpRequest.BodyPublishers.ofByteArray(MinioNotifications.event("s3:ObjectCreated:Put", original, Instant.now())))
                .build();
        HttpResponse<String> response = HTTP.send(event, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"written\":3"), response.body());
    }

    /** The resident set (VmRSS) of a process, in bytes. */
    private static long rss(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")) * 1024).findFirst().orElseThrow();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long directorySize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(ColdStartBenchmark::size).sum();
        }
    }

    private static long startedIn(String log) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("started in (\\d+)\\.(\\d{3})s").matcher(log);
        return m.find() ? Long.parseLong(m.group(1)) * 1000 + Long.parseLong(m.group(2)) : -1;
    }

    private static String stats(List<long[]> runs, int index) {
        long[] values = runs.stream().mapToLong(r -> r[index]).sorted().toArray();
        return String.format(Locale.ROOT, "%d (%d-%d)", values[values.length / 2], values[0], values[values.length - 1]);
    }
}
