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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.imageresizer.local.MinioNotifications;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.local.ServerClasspath;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.PackagedApp;
import dev.imageresizer.support.Store;
import dev.imageresizer.support.TestServers;

/**
 * Soak: the packaged application (JVM, {@code -Xmx512m}, one core) under a steady load of KafkaSource events at 80% of
 * the capacity it measured first, for {@code -Dsoak.minutes} (default 10), each event a fresh upload to the real S3
 * server, answered after its renditions are stored and announced on the real Kafka broker. The heap (512 MB) is
 * committed and touched at startup, so the resident set measures everything else. Every 30 s it samples the resident
 * set and the heap after a forced full GC ({@code jcmd GC.run}, read from the GC log); it prints
 * the samples and the growth from the end of the warm-up (the first quarter) to the end, and fails on any event that
 * is not answered 200 with three renditions. Not a timed test: run with {@code ./mvnw verify -Pbench
 * -Dit.test=SoakBenchmark}.
 */
class SoakBenchmark {

    private static final Path PROJECT = ServerClasspath.projectDir();
    private static final Path OUT = PROJECT.resolve("target/bench");
    private static final int MINUTES = Integer.getInteger("soak.minutes", 10);
    private static final int IN_FLIGHT = 2;
    private static final String[] PHOTOS = { "s_leuven.jpg", "m_Blinds.jpg", "s_coffee.png", "m_Storm.jpg", "s_building.jpg",
            "l_Dragonfly_by_Bolly.jpg", "s_baboon.jpg", "m_Wood.jpg" };
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final String JCMD = Path.of(JAVA).resolveSibling("jcmd").toString();

    @Test
    void steadyLoadForMinutes() throws Exception {
        Files.createDirectories(OUT);
        Path dir = Files.createTempDirectory(OUT, "soak-");
        try (TestServers servers = TestServers.builder().start(dir)) {
            ResizeBenchmark.pinServers();
            Path gcLog = OUT.resolve("soak-gc.log");
            Path log = OUT.resolve("soak.log");
            // the heap committed and touched up front, so the resident set measures everything else; the GC log gives
            // the heap after each forced full collection exactly
            PackagedApp app = PackagedApp.builder(log).commandPrefix(ResizeBenchmark.pinned("1")).heap("512m")
                    .javaOptions(List.of("-Xms512m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC", "-Xlog:gc:file=" + gcLog))
                    .config(servers.appConfig()).start();
            try {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                Load load = new Load(http, app.port(), new Store(servers.minio()));

                double capacity = load.flatOut(Duration.ofSeconds(60));
                double rate = 0.8 * capacity;
                System.out.printf(Locale.ROOT, "soak: capacity %.2f events/s (%d in flight, 60 s flat out); now %d minutes at %.2f events/s%n",
                        capacity, IN_FLIGHT, MINUTES, rate);
                List<long[]> samples = new ArrayList<>(); // seconds, RSS bytes, heap after GC bytes, events answered
                long start = System.nanoTime();
                long end = start + TimeUnit.MINUTES.toNanos(MINUTES);
                load.startSteady(rate);
                System.out.println("  min    RSS MB   heap after GC MB   events   errors");
                while (System.nanoTime() < end) {
                    Thread.sleep(30_000);
                    long[] sample = { (System.nanoTime() - start) / 1_000_000_000L, rss(app.pid()), heapAfterGc(app.pid(), gcLog), load.answered.get() };
                    samples.add(sample);
                    System.out.printf(Locale.ROOT, "  %4.1f  %8.0f  %17.0f  %7d  %7d%n", sample[0] / 60.0, sample[1] / 1e6, sample[2] / 1e6, sample[3], load.errors.get());
                }
                load.stop();
                long[] warm = samples.get(Math.max(0, samples.size() / 4 - 1));
                long[] last = samples.get(samples.size() - 1);
                double seconds = (last[0] - warm[0]);
                System.out.printf(Locale.ROOT, "soak: %d events in %d min (%.2f/s), %d errors; after warm-up (%.1f min) to the end: RSS %+.1f%%, heap after GC %+.1f%%%n",
                        load.answered.get(), MINUTES, (last[3] - warm[3]) / seconds, load.errors.get(), warm[0] / 60.0,
                        100.0 * (last[1] - warm[1]) / warm[1], 100.0 * (last[2] - warm[2]) / warm[2]);
                System.out.println("soak: per event, median of the application's log: " + medianSteps(log));
                assertEquals(0, load.errors.get(), "events not answered 200 with three renditions: " + load.lastError);
                assertTrue(app.isAlive(), "the application died");
            } finally {
                app.stop(Duration.ofSeconds(40));
            }
        } finally {
            TestServers.deleteTree(dir);
        }
    }

    /** KafkaSource-shaped events, each for an object uploaded just before, {@link #IN_FLIGHT} at a time at most. */
    private static final class Load {
        private final HttpClient http;
        private final int port;
        private final Store store;
        private final List<byte[]> photos = new ArrayList<>();
        private final ExecutorService senders = Executors.newFixedThreadPool(IN_FLIGHT);
        private final Semaphore slots = new Semaphore(IN_FLIGHT);
        private final AtomicLong next = new AtomicLong();
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger errors = new AtomicInteger();
        volatile String lastError = "";
        private volatile boolean running = true;
        private Thread pacer;

        Load(HttpClient http, int port, Store store) {
            this.http = http;
            this.port = port;
            this.store = store;
            for (String photo : PHOTOS) {
                photos.add(Images.shared("corpus/" + photo));
            }
        }

        /** Events back to back, {@link #IN_FLIGHT} at a time, for {@code duration}: events per second. */
        double flatOut(Duration duration) throws InterruptedException {
            int before = answered.get();
            long start = System.nanoTime();
            while (System.nanoTime() - start < duration.toNanos()) {
                slots.acquire();
                senders.submit(this::oneEvent);
            }
            slots.acquire(IN_FLIGHT);
            slots.release(IN_FLIGHT);
            return (answered.get() - before) / ((System.nanoTime() - start) / 1e9);
        }

        /** Starts events at a fixed rate (waiting for a free slot if the application falls behind). */
        void startSteady(double perSecond) {
            long interval = (long) (1e9 / perSecond);
            pacer = new Thread(() -> {
                long due = System.nanoTime();
                while (running) {
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(wait);
                            slots.acquire();
                        } catch (InterruptedException e) {
                            return;
                        }
                    } else {
                        slots.acquireUninterruptibly();
                    }
                    senders.submit(this::oneEvent);
                    due += interval;
                }
            }, "soak-pacer");
            pacer.start();
        }

        void stop() throws InterruptedException {
            running = false;
            pacer.interrupt();
            pacer.join();
            senders.shutdown();
            senders.awaitTermination(2, TimeUnit.MINUTES);
        }

        private void oneEvent() {
            try {
                long n = next.getAndIncrement();
                String photo = PHOTOS[(int) (n % PHOTOS.length)];
                ObjectState object = store.upload("images", "soak/" + n + "-" + photo, photos.get((int) (n % PHOTOS.length)),
                        photo.endsWith(".png") ? "image/png" : "image/jpeg");
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .header("ce-specversion", "1.0").header("ce-id", "partition:0/offset:" + n)
                        .header("ce-type", "dev.knative.kafka.event").header("ce-source", "/apis/v1/namespaces/soak/kafkasources/minio#minio-events")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(MinioNotifications.event("s3:ObjectCreated:Put", object, Instant.now())))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200 || !response.body().contains("\"written\":3")) {
                    errors.incrementAndGet();
                    lastError = response.statusCode() + " " + response.body();
                }
                answered.incrementAndGet();
            } catch (IOException | RuntimeException e) {
                errors.incrementAndGet();
                lastError = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                slots.release();
            }
        }
    }

    private static long rss(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")) * 1024).findFirst().orElse(-1);
    }

    /** The heap in use right after a full collection (what the application really holds), from the GC log. */
    private static long heapAfterGc(long pid, Path gcLog) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        Thread.sleep(500);
        // "[96.898s][info][gc] GC(86) Pause Full (Diagnostic Command) 268M->58M(494M) 90.323ms"
        Pattern full = Pattern.compile("Pause Full \\(Diagnostic Command\\) \\d+M->(\\d+)M");
        long last = -1;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = full.matcher(line);
            if (m.find()) {
                last = Long.parseLong(m.group(1)) * 1_048_576L;
            }
        }
        return last;
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(JCMD, Long.toString(pid), command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        return output;
    }

    /** Medians of the per-event step times in the application's log lines. */
    private static String medianSteps(Path log) throws IOException {
        Pattern line = Pattern.compile(" in (\\d+) ms \\(");
        List<Long> totals = new ArrayList<>();
        for (String text : Files.readAllLines(log)) {
            Matcher m = line.matcher(text);
            if (m.find()) {
                totals.add(Long.parseLong(m.group(1)));
            }
        }
        totals.sort(null);
        return totals.isEmpty() ? "no events logged" : totals.size() + " events, median " + totals.get(totals.size() / 2) + " ms, p99 "
                + totals.get(Math.min(totals.size() - 1, (int) (totals.size() * 0.99))) + " ms";
    }
}
