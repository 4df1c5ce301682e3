package dev.imageresizer.bench;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * Cold start of the packaged JVM application, as a scale-from-zero pod lives it: from process start to ready
 * ({@code /q/health/ready} answers 200) and to the first event's renditions stored (the KafkaSource's request, held by
 * the activator until the pod is ready, sent at that moment; a 2 MP JPEG, three renditions, announcement acknowledged).
 * Real Kafka and S3 processes; each launch a new JVM and a new object. The variants run interleaved in this one run:
 * plain {@code java -jar}; the JVM image's setup (the class archive trained by {@code src/main/docker/train-archive.sh},
 * serial GC, C1); and, where a JDK 25 is installed, the same with its AOT cache. Needs {@code target/quarkus-app}:
 * {@code ./mvnw verify -Pbench -Dit.test=ColdStartBenchmark}.
 */
class ColdStartBenchmark {

    private static final int LAUNCHES = Integer.getInteger("bench.launches", 5);
    private static final Path APP = ServerClasspath.projectDir().resolve("target/quarkus-app");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();

    @Test
    void coldStart() throws Exception {
        Path dir = Files.createDirectories(ServerClasspath.projectDir().resolve("target/bench-servers"));
        try (TestServers servers = TestServers.builder().start(Files.createTempDirectory(dir, "cold-start-"))) {
            Store store = new Store(servers.minio());
            byte[] photo = Images.fixture("photos/elephants-1920.jpg"); // 1920x1080, 2.1 MP

            String java17 = ProcessHandle.current().info().command().orElseThrow();
            Map<String, List<String>> variants = new LinkedHashMap<>();
            variants.put("java -jar, JDK " + Runtime.version().feature(), List.of(java17));
            variants.put("as the image: trained AppCDS, SerialGC, C1", withOptions(java17, train(java17, "app-bench.jsa")));
            Path java25 = Path.of(System.getProperty("bench.java25", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));
            if (Files.isExecutable(java25)) {
                variants.put("JDK 25: trained AOT cache, SerialGC, C1", withOptions(java25.toString(), train(java25.toString(), "app-bench.aot")));
            }
            Map<String, List<long[]>> results = new LinkedHashMap<>();
            variants.keySet().forEach(v -> results.put(v, new ArrayList<>()));
            for (int launch = 0; launch < LAUNCHES; launch++) {
                for (Map.Entry<String, List<String>> variant : variants.entrySet()) {
                    ObjectState original = store.upload("images", "cold/" + launch + "/" + variant.getKey().replaceAll("\\W", "") + ".jpg", photo, "image/jpeg");
                    results.get(variant.getKey()).add(launch(variant.getValue(), servers.appConfig(), original));
                }
            }
            try (Stream<Path> trained = Files.list(APP)) {
                for (Path file : trained.filter(f -> f.getFileName().toString().startsWith("app-bench.")).toList()) {
                    Files.delete(file);
                }
            }
            System.out.printf(Locale.ROOT, "%ncold start, JVM mode, %d launches each, medians (min-max) in ms from process start:%n", LAUNCHES);
            for (Map.Entry<String, List<long[]>> result : results.entrySet()) {
                System.out.printf(Locale.ROOT, "%-42s ready %s | first 2 MP image stored %s | Quarkus 'started in' %s%n",
                        result.getKey(), stats(result.getValue(), 0), stats(result.getValue(), 1), stats(result.getValue(), 2));
            }
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

    private static List<String> withOptions(String java, List<String> options) {
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(options);
        return command;
    }

    /**
     * @param javaAndOptions the java executable and its options
     * @return milliseconds from process start to ready, to the first event done, and Quarkus' own "started in"
     */
    private static long[] launch(List<String> javaAndOptions, Map<String, String> config, ObjectState original) throws Exception {
        Path log = Files.createTempFile("cold-start", ".log");
        // from the application's directory, as in the container: the AppCDS archive records relative class paths
        PackagedApp app = PackagedApp.builder(log).java(javaAndOptions.get(0), javaAndOptions.subList(1, javaAndOptions.size()))
                .config(config).workingDirectory(APP).readyPoll(Duration.ofMillis(2)).start();
        try {
            HttpRequest event = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/"))
                    .header("ce-specversion", "1.0").header("ce-id", "partition:0/offset:" + app.port())
                    .header("ce-type", "dev.knative.kafka.event").header("ce-source", "/apis/v1/namespaces/bench/kafkasources/minio#minio-events")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(MinioNotifications.event("s3:ObjectCreated:Put", original, Instant.now())))
                    .build();
            HttpResponse<String> response = HTTP.send(event, HttpResponse.BodyHandlers.ofString());
            long doneAt = System.nanoTime();
            assertEquals(200, response.statusCode(), response.body());
            assertTrue(response.body().contains("\"written\":3"), response.body());
            return new long[] { (app.readyAt() - app.startedAt()) / 1_000_000, (doneAt - app.startedAt()) / 1_000_000, startedIn(app.logText()) };
        } finally {
            app.stop(Duration.ofMinutes(1));
            Files.deleteIfExists(log);
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
