package dev.imageresizer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import com.sksamuel.scrimage.ImmutableImage;
import com.sksamuel.scrimage.ScaleMethod;
import com.sksamuel.scrimage.nio.JpegWriter;
import com.sksamuel.scrimage.nio.PngWriter;

import dev.imageresizer.imaging.Geometry.Frame;
import dev.imageresizer.imaging.ImageData;
import dev.imageresizer.imaging.ImageInfo;
import dev.imageresizer.imaging.ImageInspector;
import dev.imageresizer.imaging.RenditionSpec;
import dev.imageresizer.imaging.Target;
import dev.imageresizer.imaging.TurboJpeg;
import dev.imageresizer.local.MinioNotifications;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.local.ServerClasspath;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.PackagedApp;
import dev.imageresizer.support.Store;
import dev.imageresizer.support.TestServers;

/**
 * The resize benchmark: the corpus (../shared/corpus's JPEGs and PNGs, plus the 32 MP JPEG that make-large.sh tiles)
 * through our imaging step with libjpeg-turbo and in pure Java, naive scrimage, and libvips in-process (when Debian's
 * libvips and a JDK 22+ for its FFM binding are installed), each in a fresh JVM pinned to one core, all in this one
 * run; then ours with two workers on two cores, ours end to end through the packaged application with a real S3 server
 * and Kafka, PSNR of every rendition against a full-resolution Lanczos reference, and the large files of make-large.sh
 * at -Xmx512m. Prints tables, writes {@code target/bench/results.csv} and {@code target/bench/chart.png}. Figures, not
 * assertions: {@code ./mvnw verify -Pbench -Dit.test=ResizeBenchmark}.
 */
class ResizeBenchmark {

    private static final Path PROJECT = ServerClasspath.projectDir();
    private static final Path OUT = PROJECT.resolve("target/bench");
    private static final Path LARGE = Path.of(System.getProperty("bench.large", "/tmp/corpus-large"));
    private static final int PASSES = Integer.getInteger("bench.passes", 3);
    private static final int IN_FLIGHT = Integer.getInteger("bench.in-flight", 2);
    private static final Path JAVA_FFM = Path.of(System.getProperty("bench.java22", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final boolean TASKSET = Files.isExecutable(Path.of("/usr/bin/taskset"));
    private static final List<String> WORKER_JVM = List.of("-Xmx512m", "-XX:+UseSerialGC");

    /** One corpus image. */
    record Image(Path path, double megapixels) {
        String name() {
            return path.getFileName().toString();
        }
    }

    /** One candidate's run: per-image median milliseconds over the counted passes, and its process's peaks. */
    record Run(String name, String what, double[] millis, double wallSeconds, long rss, long heap, List<String> errors, int inFlight) {

        /** Seconds for the whole corpus: the sum of per-image medians, or the wall time with several images at once. */
        double seconds() {
            return inFlight > 1 ? wallSeconds : Arrays.stream(millis).sum() / 1000;
        }
    }

    @Test
    void benchmark() throws Exception {
        Files.createDirectories(OUT);
        List<Image> corpus = corpus();
        Path list = OUT.resolve("corpus.txt");
        Files.write(list, corpus.stream().map(i -> i.path().toString()).toList());
        double megapixels = corpus.stream().mapToDouble(Image::megapixels).sum();
        System.out.printf(Locale.ROOT, "%nresize benchmark: %d images, %.0f MP, %d counted passes after one warm-up pass, one core each (%s)%n",
                corpus.size(), megapixels, PASSES, TASKSET ? "taskset -c 1" : "not pinned: no taskset");

        Optional<Path> executable = nativeExecutable();
        if (System.getProperty("bench.end-to-end-only") != null) { // -Dbench.end-to-end-only: the application alone
            Run run = endToEnd(corpus, null);
            System.out.printf(Locale.ROOT, "end to end, JVM: %.2f img/s, RSS %d MB%n", corpus.size() / run.seconds(), run.rss() >> 20);
            if (executable.isPresent()) {
                Run nativeRun = endToEnd(corpus, executable.get());
                System.out.printf(Locale.ROOT, "end to end, native: %.2f img/s, RSS %d MB; %.2fx the JVM's throughput%n",
                        corpus.size() / nativeRun.seconds(), nativeRun.rss() >> 20, run.seconds() / nativeRun.seconds());
                nativeRun.errors().forEach(e -> System.out.println("    error: " + e));
            }
            return;
        }
        Map<String, Run> runs = new LinkedHashMap<>();
        boolean turbo = TurboJpeg.probe(TurboJpeg.DEBIAN_JAR).codec().isPresent();
        if (turbo) {
            runs.put("ours", worker("ours", list, corpus, 1, "1"));
        }
        runs.put("ours-java", worker("ours-java", list, corpus, 1, "1"));
        runs.put("naive", worker("naive", list, corpus, 1, "1"));
        vips(list, corpus).ifPresent(run -> runs.put("libvips", run));
        String best = turbo ? "ours" : "ours-java";
        Run twoCores = worker(best, list, corpus, 2, "0,1");
        Run endToEnd = endToEnd(corpus, null);
        Optional<Run> nativeEndToEnd = executable.isPresent() ? Optional.of(endToEnd(corpus, executable.get())) : Optional.empty();

        Map<String, double[]> quality = quality(corpus, runs.keySet());
        List<String[]> large = large();
        report(corpus, runs, best, twoCores, endToEnd, nativeEndToEnd, quality, large);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // candidates

    private Run worker(String name, Path list, List<Image> corpus, int workers, String cores) throws Exception {
        Path out = Files.createDirectories(OUT.resolve("renditions/" + name));
        List<String> command = new ArrayList<>(pinned(cores));
        command.add(JAVA);
        command.addAll(WORKER_JVM);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ResizeWorker.class.getName(), "corpus", name,
                list.toString(), Integer.toString(PASSES + 1), workers == 1 ? out.toString() : "-", Integer.toString(workers)));
        return parse(name + (workers > 1 ? " x" + workers : ""), run(command), corpus);
    }

    private Optional<Run> vips(Path list, List<Image> corpus) throws Exception {
        Path source = PROJECT.resolve("src/test/vips/VipsReference.java");
        if (!Files.isExecutable(JAVA_FFM) || !Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libvips.so.42"))) {
            System.out.println("libvips reference skipped: needs Debian's libvips (apt-get install libvips-tools) and a JDK 22+ at " + JAVA_FFM
                    + " (-Dbench.java22=...)");
            return Optional.empty();
        }
        Path out = Files.createDirectories(OUT.resolve("renditions/libvips"));
        List<String> command = new ArrayList<>(pinned("1"));
        command.addAll(List.of(JAVA_FFM.toString(), "--enable-native-access=ALL-UNNAMED", source.toString(), list.toString(),
                Integer.toString(PASSES + 1), out.toString()));
        return Optional.of(parse("libvips", run(command), corpus));
    }

    static List<String> pinned(String cores) {
        return TASKSET ? List.of("taskset", "-c", cores) : List.of();
    }

    private static List<String> run(List<String> command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(OUT, "worker", ".err");
        Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        List<String> lines = new String(process.getInputStream().readAllBytes()).lines().toList();
        int exit = process.waitFor();
        assertEquals(0, exit, () -> String.join(" ", command) + " failed: " + PackagedApp.read(log));
        Files.delete(log);
        return lines;
    }

    /** Reads a candidate's lines: the first pass is warm-up; each image's figure is its median over the others. */
    private static Run parse(String name, List<String> lines, List<Image> corpus) {
        Map<String, List<Double>> perImage = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        String what = "";
        long rss = -1;
        long heap = -1;
        double wall = 0;
        for (String line : lines) {
            String[] f = line.split("\t");
            switch (f[0]) {
                case "codec", "vips" -> what = f[1];
                case "rss" -> rss = Long.parseLong(f[1]);
                case "heap" -> heap = Long.parseLong(f[1]);
                case "wall" -> wall += Integer.parseInt(f[1]) > 1 ? Long.parseLong(f[2]) / 1e9 : 0;
                default -> {
                    if (Integer.parseInt(f[0]) > 1) {
                        perImage.computeIfAbsent(f[1], k -> new ArrayList<>()).add(Long.parseLong(f[2]) / 1e6);
                        if (!f[4].equals("ok")) {
                            errors.add(Path.of(f[1]).getFileName() + ": " + f[4]);
                        }
                    }
                }
            }
        }
        double[] millis = corpus.stream().mapToDouble(i -> median(perImage.getOrDefault(i.path().toString(), List.of(Double.NaN)))).toArray();
        return new Run(name, what, millis, wall / PASSES, rss, heap, errors.stream().distinct().toList(), 1);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // end to end: the packaged application on one core, a real S3 server and Kafka broker on the other

    /** {@code -Dbench.native}, else the {@code target/*-runner} that {@code ./mvnw package -Dnative} wrote, if any. */
    private static Optional<Path> nativeExecutable() throws IOException {
        String named = System.getProperty("bench.native");
        if (named != null) {
            return Optional.of(Path.of(named));
        }
        try (Stream<Path> files = Files.list(PROJECT.resolve("target"))) {
            return files.filter(f -> f.getFileName().toString().endsWith("-runner") && Files.isExecutable(f)).findFirst();
        }
    }

    /** @param executable the native executable, or null for the JVM application with {@link #WORKER_JVM} */
    private Run endToEnd(List<Image> corpus, Path executable) throws Exception {
        Files.createDirectories(OUT.resolve("servers"));
        try (TestServers servers = TestServers.builder().start(Files.createTempDirectory(OUT.resolve("servers"), "end-to-end-"))) {
            pinServers();
            Store store = new Store(servers.minio());
            Path log = OUT.resolve(executable == null ? "end-to-end.log" : "end-to-end-native.log");
            PackagedApp.Builder builder = PackagedApp.builder(log).commandPrefix(pinned("1"));
            if (executable == null) {
                builder.javaOptions(WORKER_JVM)
                        // more JVM options for the application, e.g. -Dbench.app-options="-XX:StartFlightRecording=filename=app.jfr"
                        .javaOptions(List.of(System.getProperty("bench.app-options", "").split(" ")).stream().filter(o -> !o.isBlank()).toList());
            } else {
                builder.artifact(executable).heap("512m");
            }
            PackagedApp app = builder.config(servers.appConfig()).config("quarkus.log.level", "WARN")
                    .config("quarkus.log.category.\"dev.imageresizer.pipeline\".level", "INFO").start();
            int httpPort = app.port();
            try {
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
                List<String> lines = new ArrayList<>();
                // as a KafkaSource with several partitions or unordered delivery does (the Service admits 3 at once):
                // while one event waits for S3 or Kafka, another uses the core
                ExecutorService senders = Executors.newFixedThreadPool(IN_FLIGHT);
                for (int pass = 1; pass <= PASSES + 1; pass++) {
                    List<ObjectState> uploaded = new ArrayList<>();
                    for (Image image : corpus) { // a new key per pass, so every pass does the whole work
                        uploaded.add(store.upload("images", "pass" + pass + "/" + image.name(), Files.readAllBytes(image.path()),
                                image.name().endsWith(".png") ? "image/png" : "image/jpeg"));
                    }
                    long passStart = System.nanoTime();
                    List<Future<String>> sent = new ArrayList<>();
                    for (int index = 0; index < corpus.size(); index++) {
                        int i = index;
                        int p = pass;
                        sent.add(senders.submit(() -> {
                            long start = System.nanoTime();
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/"))
                                    .header("ce-specversion", "1.0").header("ce-id", "partition:0/offset:" + (p * 1000 + i))
                                    .header("ce-type", "dev.knative.kafka.event").header("ce-source", "/apis/v1/namespaces/bench/kafkasources/minio#minio-events")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(MinioNotifications.event("s3:ObjectCreated:Put", uploaded.get(i), Instant.now())))
                                    .build(), HttpResponse.BodyHandlers.ofString());
                            long nanos = System.nanoTime() - start;
                            boolean ok = response.statusCode() == 200 && response.body().contains("\"written\":3");
                            return p + "\t" + corpus.get(i).path() + "\t" + nanos + "\t0\t" + (ok ? "ok" : response.statusCode() + " " + response.body());
                        }));
                    }
                    for (Future<String> line : sent) {
                        lines.add(line.get());
                    }
                    lines.add("wall\t" + pass + "\t" + (System.nanoTime() - passStart));
                }
                senders.shutdown();
                lines.add("rss\t" + ResizeWorker.peakRss(Path.of("/proc/" + app.pid() + "/status")));
                lines.add("codec\tpackaged application, " + (executable == null ? "JVM" : "native executable") + ", -Xmx512m, one core, "
                        + IN_FLIGHT + " events in flight; S3Proxy and Kafka on the other");
                String name = executable == null ? "end to end" : "e2e native";
                System.out.println(name + ", median per event of the counted passes (the application's log): " + steps(log));
                Run run = parse(name, lines, corpus);
                return new Run(run.name(), run.what(), run.millis(), run.wallSeconds(), run.rss(), run.heap(), run.errors(), IN_FLIGHT);
            } finally {
                app.stop(Duration.ofMinutes(1));
            }
        }
    }

    /** The median of each step over the counted passes' events, from the log lines "... in 312 ms (lookup 3, fetch 12 ms)". */
    private static String steps(Path log) throws IOException {
        Pattern line = Pattern.compile("partition:0/offset:(\\d+) .* in \\d+ ms \\((.*) ms\\)");
        Map<String, List<Double>> steps = new LinkedHashMap<>();
        for (String text : Files.readAllLines(log)) {
            Matcher m = line.matcher(text);
            if (m.find() && Long.parseLong(m.group(1)) >= 2000) {
                for (String step : m.group(2).split(", ")) {
                    String[] nameAndMillis = step.split(" ");
                    steps.computeIfAbsent(nameAndMillis[0], k -> new ArrayList<>()).add(Double.parseDouble(nameAndMillis[1]));
                }
            }
        }
        StringBuilder result = new StringBuilder();
        steps.forEach((name, millis) -> result.append(result.isEmpty() ? "" : ", ").append(name).append(' ').append(String.format(Locale.ROOT, "%.0f", median(millis))));
        return result.append(" ms").toString();
    }

    /** Keeps the servers off the function's core. */
    static void pinServers() throws IOException, InterruptedException {
        if (!TASKSET) {
            return;
        }
        for (ProcessHandle child : ProcessHandle.current().children().toList()) {
            new ProcessBuilder("taskset", "-a", "-cp", "0", Long.toString(child.pid())).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // quality: PSNR against a full-resolution Lanczos3 reference of the same frame

    /**
     * For every image and rendition: the reference is the full-resolution decode scaled with scrimage's Lanczos3 to
     * the exact frame (unencoded). For JPEG renditions the bar is that reference after the same encoder (Q85): a
     * rendition meets it when its PSNR is at most 1 dB below what encoding alone costs the reference. PNG renditions are
     * lossless, so that bar would be infinite; they count in the mean and min only. Per rendition: quality.csv.
     *
     * @return per candidate: mean PSNR, min PSNR, median margin over JPEG renditions (candidate - bar, dB), JPEG
     *         renditions more than 1 dB below the bar, JPEG renditions compared
     */
    private static Map<String, double[]> quality(List<Image> corpus, Iterable<String> candidates) throws IOException {
        Map<String, double[]> result = new LinkedHashMap<>();
        Map<String, List<Double>> psnr = new LinkedHashMap<>();
        Map<String, List<Double>> margins = new LinkedHashMap<>();
        candidates.forEach(c -> {
            psnr.put(c, new ArrayList<>());
            margins.put(c, new ArrayList<>());
        });
        psnr.put("lanczos reference", new ArrayList<>());
        StringBuilder csv = new StringBuilder("image,rendition,candidate,psnr_db,bar_db\n");
        ImageInspector inspector = new ImageInspector(Long.MAX_VALUE);
        for (Image image : corpus) {
            byte[] bytes = Files.readAllBytes(image.path());
            ImageInfo info = inspector.inspect(ImageData.of(bytes));
            ImmutableImage full = ImmutableImage.wrapAwt(Images.decode(bytes));
            boolean png = image.name().endsWith(".png");
            for (RenditionSpec spec : ResizeWorker.RENDITIONS) {
                Frame frame = Target.plan(spec, info).frame();
                ImmutableImage scaled = full.scaleTo(frame.scaledWidth(), frame.scaledHeight(), ScaleMethod.Lanczos3);
                BufferedImage ideal = scaled.subimage((frame.scaledWidth() - frame.width()) / 2, (frame.scaledHeight() - frame.height()) / 2,
                        frame.width(), frame.height()).awt();
                double bar = Images.psnr(ideal, Images.decode(ImmutableImage.wrapAwt(ideal).bytes(png ? new PngWriter(6) : new JpegWriter(85, false))));
                psnr.get("lanczos reference").add(bar);
                for (String candidate : psnr.keySet()) {
                    Path file = OUT.resolve("renditions/" + candidate + "/" + image.name() + "." + spec.name() + "." + (png ? "png" : "jpg"));
                    if (!Files.exists(file)) {
                        continue;
                    }
                    double value = psnrOverCommonArea(ideal, ImageIO.read(file.toFile()));
                    csv.append(String.format(Locale.ROOT, "%s,%s,%s,%.2f,%.2f%n", image.name(), spec.name(), candidate, value, bar));
                    psnr.get(candidate).add(value);
                    if (!png && margins.containsKey(candidate)) {
                        margins.get(candidate).add(value - bar);
                    }
                }
            }
        }
        Files.writeString(OUT.resolve("quality.csv"), csv);
        psnr.forEach((candidate, values) -> {
            List<Double> margin = margins.getOrDefault(candidate, List.of());
            result.put(candidate, new double[] { values.stream().mapToDouble(d -> Math.min(d, 99)).average().orElse(Double.NaN),
                    values.stream().mapToDouble(d -> d).min().orElse(Double.NaN), margin.isEmpty() ? Double.NaN : median(margin),
                    margin.stream().filter(m -> m < -1).count(), margin.size() });
        });
        return result;
    }

    /** Other tools may round a size the other way: compare the area both have. */
    private static double psnrOverCommonArea(BufferedImage a, BufferedImage b) {
        int width = Math.min(a.getWidth(), b.getWidth());
        int height = Math.min(a.getHeight(), b.getHeight());
        return Images.psnr(a.getSubimage(0, 0, width, height), b.getSubimage(0, 0, width, height));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // large files at -Xmx512m

    private static List<String[]> large() throws Exception {
        List<String[]> rows = new ArrayList<>();
        if (!Files.isDirectory(LARGE)) {
            return rows;
        }
        try (Stream<Path> files = Files.list(LARGE)) {
            for (Path file : files.sorted().toList()) {
                for (long[] limits : new long[][] { { 64L << 20, 100 }, { 512L << 20, 400 } }) {
                    List<String> command = new ArrayList<>(pinned("1"));
                    command.addAll(List.of(JAVA, "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                            ResizeWorker.class.getName(), "large", file.toString(), Long.toString(limits[0]), Long.toString(limits[1])));
                    List<String> lines = run(command);
                    String[] result = lines.stream().filter(l -> l.startsWith("large\t")).findFirst().orElseThrow().split("\t");
                    String rss = lines.stream().filter(l -> l.startsWith("rss\t")).findFirst().orElseThrow().split("\t")[1];
                    rows.add(new String[] { file.getFileName().toString(), String.format(Locale.ROOT, "%d MB", Files.size(file) >> 20),
                            (limits[0] >> 20) + "M / " + limits[1] + " MP", String.format(Locale.ROOT, "%.0f", Long.parseLong(result[2]) / 1e6),
                            Long.toString(Long.parseLong(rss) >> 20), result[3] });
                }
            }
        }
        return rows;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // corpus and report

    private static List<Image> corpus() throws Exception {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> shared = Files.list(Images.SHARED.resolve("corpus"))) {
            shared.filter(p -> p.toString().endsWith(".jpg") || p.toString().endsWith(".png")).sorted().forEach(files::add);
        }
        Path picos = LARGE.resolve("L_picos_2x2_32MP.jpg");
        if (!Files.exists(picos) && Files.isExecutable(Path.of("/usr/bin/vips"))) {
            System.out.println("making the large files with ../shared/corpus/make-large.sh " + LARGE + " (once, about a minute)");
            Process make = new ProcessBuilder(Images.SHARED.resolve("corpus/make-large.sh").toString(), LARGE.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            assertEquals(0, make.waitFor());
        }
        if (Files.exists(picos)) {
            files.add(picos);
        } else {
            System.out.println("the 32 MP JPEG is missing (needs vips: apt-get install libvips-tools): benchmarking without it");
        }
        ImageInspector inspector = new ImageInspector(Long.MAX_VALUE);
        List<Image> corpus = new ArrayList<>();
        for (Path file : files) {
            ImageInfo info = inspector.inspect(ImageData.of(Files.readAllBytes(file)));
            corpus.add(new Image(file, info.width() * (double) info.height() / 1e6));
        }
        return corpus;
    }

    private static void report(List<Image> corpus, Map<String, Run> runs, String best, Run twoCores, Run endToEnd,
            Optional<Run> nativeEndToEnd, Map<String, double[]> quality, List<String[]> large) throws IOException {
        double megapixels = corpus.stream().mapToDouble(Image::megapixels).sum();
        Run vips = runs.get("libvips");
        Run naive = runs.get("naive");
        StringBuilder csv = new StringBuilder("candidate,images_per_s,megapixels_per_s,x_libvips,x_naive,small_p50_ms,small_p90_ms,"
                + "medium_p50_ms,medium_p90_ms,large_p50_ms,large_p90_ms,peak_rss_mb,peak_heap_mb,psnr_mean_db,psnr_min_db,jpeg_margin_median_db,jpeg_below_bar,jpeg_compared,errors\n");
        System.out.printf(Locale.ROOT, "%n%-12s %7s %7s %9s %7s | %-9s %-9s %-9s | %8s %8s | %-19s | %s%n", "candidate", "img/s", "MP/s",
                "x libvips", "x naive", "<2 MP", "2-12 MP", ">12 MP", "RSS MB", "heap MB", "PSNR mean/min, JPEG: margin, < bar", "what");
        List<Run> all = new ArrayList<>(runs.values());
        all.add(endToEnd);
        nativeEndToEnd.ifPresent(all::add);
        for (Run run : all) {
            double seconds = run.seconds();
            double[] q = quality.getOrDefault(run.name(), new double[] { Double.NaN, Double.NaN, Double.NaN, 0, 0 });
            String[] classes = { percentiles(corpus, run.millis(), 0, 2), percentiles(corpus, run.millis(), 2, 12), percentiles(corpus, run.millis(), 12, 1e9) };
            System.out.printf(Locale.ROOT, "%-12s %7.2f %7.1f %9s %7.2f | %-9s %-9s %-9s | %8d %8s | %5.1f %5.1f, %+5.2f dB, %3d/%-3d | %s%n", run.name(),
                    corpus.size() / seconds, megapixels / seconds, vips == null ? "-" : String.format(Locale.ROOT, "%.2f", vips.seconds() / seconds),
                    naive.seconds() / seconds, classes[0], classes[1], classes[2], run.rss() >> 20, run.heap() < 0 ? "-" : Long.toString(run.heap() >> 20),
                    q[0], q[1], q[2], (int) q[3], (int) q[4], run.what());
            csv.append(String.format(Locale.ROOT, "%s,%.3f,%.2f,%s,%.3f,%s,%s,%s,%d,%s,%.2f,%.2f,%.2f,%d,%d,%d%n", run.name(), corpus.size() / seconds, megapixels / seconds,
                    vips == null ? "" : String.format(Locale.ROOT, "%.3f", vips.seconds() / seconds), naive.seconds() / seconds,
                    classes[0].replace('/', ','), classes[1].replace('/', ','), classes[2].replace('/', ','), run.rss() >> 20,
                    run.heap() < 0 ? "" : Long.toString(run.heap() >> 20), q[0], q[1], q[2], (int) q[3], (int) q[4], run.errors().size()));
            run.errors().forEach(e -> System.out.println("    error: " + e));
        }
        double[] ref = quality.get("lanczos reference");
        System.out.printf(Locale.ROOT, "PSNR against a full-resolution Lanczos3 reference; that reference after encoding: mean %.1f dB, min %.1f dB;%n"
                + "JPEG: margin = median of (rendition - encoded reference), < bar = renditions more than 1 dB below it (quality.csv has each)%n",
                ref[0], ref[1]);
        Run one = runs.get(best);
        System.out.printf(Locale.ROOT, "%s, 2 workers on 2 cores: %.2f img/s for the machine, %.2fx one worker on one core%n", best,
                corpus.size() / twoCores.wallSeconds(), one.wallSeconds() / twoCores.wallSeconds());
        System.out.printf(Locale.ROOT, "end to end (fetch, inspect, decode, render, store 3, announce, HTTP 200; " + IN_FLIGHT
                + " events in flight on one core) vs resize only: %.2fx%n",
                one.seconds() / endToEnd.seconds());
        nativeEndToEnd.ifPresent(n -> System.out.printf(Locale.ROOT, "end to end, native executable vs JVM: %.2fx the throughput%n",
                endToEnd.seconds() / n.seconds()));
        csv.append(String.format(Locale.ROOT, "%s x2 (machine),%.3f,%.2f,,,,,,,,,%d,,,,,,,%d%n", best, corpus.size() / twoCores.wallSeconds(),
                megapixels / twoCores.wallSeconds(), twoCores.rss() >> 20, twoCores.errors().size()));
        if (!large.isEmpty()) {
            StringBuilder largeCsv = new StringBuilder("file,size_mb,limits,ms,peak_rss_mb,outcome\n");
            System.out.printf(Locale.ROOT, "%nlarge files, one fresh JVM each, -Xmx512m:%n%-34s %7s %-16s %7s %7s  %s%n", "file", "size", "limits", "ms", "RSS MB", "outcome");
            for (String[] row : large) {
                System.out.printf(Locale.ROOT, "%-34s %7s %-16s %7s %7s  %s%n", (Object[]) row);
                largeCsv.append(String.join(",", row[0], row[1].replace(" MB", ""), row[2].replace(" ", ""), row[3], row[4], "\"" + row[5].replace("\"", "'") + "\""))
                        .append('\n');
            }
            Files.writeString(OUT.resolve("large.csv"), largeCsv);
        }
        Files.writeString(OUT.resolve("results.csv"), csv);
        chart(corpus, all, twoCores, vips);
        System.out.println("\nwrote results.csv, quality.csv, large.csv and chart.png to " + OUT);
    }

    /** A bar chart of images per second per core, with the two-core figure. */
    private static void chart(List<Image> corpus, List<Run> runs, Run twoCores, Run vips) throws IOException {
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (Run run : runs) {
            labels.add(run.name() + (run.name().equals("end to end") ? " (1 core)" : ""));
            values.add(corpus.size() / run.seconds());
        }
        labels.add(twoCores.name() + " (2 cores)");
        values.add(corpus.size() / twoCores.wallSeconds());
        int width = 900;
        int bar = 34;
        int height = 70 + labels.size() * (bar + 12) + 30;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.DARK_GRAY);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString(String.format(Locale.ROOT, "Images per second, %d images / %.0f MP, 3 renditions each", corpus.size(),
                corpus.stream().mapToDouble(Image::megapixels).sum()), 20, 32);
        double max = values.stream().mapToDouble(d -> d).max().orElse(1);
        int left = 200;
        int span = width - left - 110;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        for (int i = 0; i < labels.size(); i++) {
            int y = 60 + i * (bar + 12);
            String label = labels.get(i);
            g.setColor(label.startsWith("ours") ? new Color(0x2e7d32) : label.startsWith("libvips") ? new Color(0x1565c0)
                    : label.startsWith("end") ? new Color(0x66bb6a) : new Color(0x9e9e9e));
            int length = (int) (span * values.get(i) / max);
            g.fillRect(left, y, length, bar);
            g.setColor(Color.DARK_GRAY);
            g.drawString(label, 10, y + bar / 2 + 5);
            String value = String.format(Locale.ROOT, "%.1f", values.get(i));
            if (vips != null) {
                value += String.format(Locale.ROOT, "  (%.2fx)", values.get(i) / (corpus.size() / vips.seconds()));
            }
            g.drawString(value, left + length + 8, y + bar / 2 + 5);
        }
        g.setStroke(new BasicStroke(1));
        g.drawLine(left, 50, left, height - 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 12));
        g.drawString("one worker pinned to one core unless marked; (x) = ratio to libvips in-process; " + Runtime.version(), 10, height - 10);
        g.dispose();
        ImageIO.write(image, "png", OUT.resolve("chart.png").toFile());
    }

    private static String percentiles(List<Image> corpus, double[] millis, double from, double to) {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < corpus.size(); i++) {
            if (corpus.get(i).megapixels() >= from && corpus.get(i).megapixels() < to) {
                values.add(millis[i]);
            }
        }
        values.sort(null);
        if (values.isEmpty()) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.0f/%.0f", values.get(values.size() / 2), values.get(Math.min(values.size() - 1, (int) Math.ceil(values.size() * 0.9) - 1)));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
