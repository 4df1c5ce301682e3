package dev.imageresizer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.sksamuel.scrimage.ImmutableImage;
import com.sksamuel.scrimage.nio.JpegWriter;
import com.sksamuel.scrimage.nio.PngWriter;

import dev.imageresizer.config.ResizerConfig.Fit;
import dev.imageresizer.config.ResizerConfig.OutputFormat;
import dev.imageresizer.imaging.ImageDecoder;
import dev.imageresizer.imaging.ImageInfo;
import dev.imageresizer.imaging.ImageInspector;
import dev.imageresizer.imaging.Rendered;
import dev.imageresizer.imaging.Renderer;
import dev.imageresizer.imaging.RenditionSpec;
import dev.imageresizer.imaging.Target;
import dev.imageresizer.support.Images;

/**
 * Imaging throughput on the shared corpus (every JPEG and PNG, bytes in memory as after a download), one thread: our
 * inspect + subsampled decode + chained render of the three default renditions, against the baseline a classic
 * thumbnailer would write with scrimage (decode everything, scale each rendition from the original with scrimage's
 * default Bicubic, same encoders). Both run in this JVM, interleaved per pass. Run with {@code ./mvnw test -Pbench};
 * it prints figures, it does not time-assert.
 */
class ImagingBenchmark {

    private static final List<RenditionSpec> DEFAULTS = List.of(
            new RenditionSpec("thumb", 150, 150, Fit.COVER, OutputFormat.SAME, 85),
            new RenditionSpec("small", 640, 640, Fit.BOUND, OutputFormat.SAME, 85),
            new RenditionSpec("large", 1280, 1280, Fit.BOUND, OutputFormat.SAME, 85));
    private static final int PASSES = Integer.getInteger("bench.passes", 3);

    private record Sample(String name, byte[] bytes, double megapixels) {
    }

    private interface Pipeline {
        long run(byte[] bytes) throws IOException;
    }

    private final ImageInspector inspector = new ImageInspector(200_000_000L);
    private final ImageDecoder decoder = new ImageDecoder();
    private final Renderer renderer = new Renderer();

    @Test
    void resizeTheCorpus() throws IOException {
        List<Sample> corpus = corpus();
        double megapixels = corpus.stream().mapToDouble(Sample::megapixels).sum();
        System.out.printf(Locale.ROOT, "%ncorpus: %d images, %.0f MP, %s%n", corpus.size(), megapixels, Runtime.version());

        Pipeline ours = this::ours;
        Pipeline naive = ImagingBenchmark::naive;
        long[][] oursNanos = new long[PASSES][];
        long[][] naiveNanos = new long[PASSES][];
        measure(corpus, ours); // warm-up, not counted
        measure(corpus, naive);
        long oursHeap = 0;
        long naiveHeap = 0;
        for (int pass = 0; pass < PASSES; pass++) {
            resetPeaks();
            oursNanos[pass] = measure(corpus, ours);
            oursHeap = Math.max(oursHeap, peakHeap());
            resetPeaks();
            naiveNanos[pass] = measure(corpus, naive);
            naiveHeap = Math.max(naiveHeap, peakHeap());
        }
        double[] oursMedian = medians(oursNanos);
        double[] naiveMedian = medians(naiveNanos);
        report("ours", corpus, oursMedian, oursHeap);
        report("naive scrimage", corpus, naiveMedian, naiveHeap);
        double oursTotal = Arrays.stream(oursMedian).sum();
        double naiveTotal = Arrays.stream(naiveMedian).sum();
        System.out.printf(Locale.ROOT, "ratio: ours is %.2fx the throughput of naive scrimage (%d passes, per-image medians)%n%n",
                naiveTotal / oursTotal, PASSES);
    }

    private long ours(byte[] bytes) {
        ImageInfo info = inspector.inspect(bytes);
        List<Target> targets = DEFAULTS.stream().map(spec -> Target.plan(spec, info)).toList();
        List<Rendered> rendered = renderer.render(decoder.decode(bytes, info, ImageDecoder.subsampling(info, targets)), info.orientation(), targets);
        assertEquals(3, rendered.size());
        return rendered.stream().mapToLong(r -> r.bytes().length).sum();
    }

    private static long naive(byte[] bytes) throws IOException {
        ImmutableImage image = ImmutableImage.loader().fromBytes(bytes);
        boolean png = bytes[0] == (byte) 0x89;
        long total = 0;
        for (ImmutableImage rendition : List.of(image.cover(150, 150), image.bound(640, 640), image.bound(1280, 1280))) {
            total += png ? rendition.bytes(new PngWriter(6)).length : rendition.bytes(new JpegWriter(85, false)).length;
        }
        return total;
    }

    private static long[] measure(List<Sample> corpus, Pipeline pipeline) throws IOException {
        long[] nanos = new long[corpus.size()];
        for (int i = 0; i < corpus.size(); i++) {
            long start = System.nanoTime();
            pipeline.run(corpus.get(i).bytes());
            nanos[i] = System.nanoTime() - start;
        }
        return nanos;
    }

    private static double[] medians(long[][] passes) {
        double[] medians = new double[passes[0].length];
        for (int i = 0; i < medians.length; i++) {
            long[] values = new long[passes.length];
            for (int p = 0; p < passes.length; p++) {
                values[p] = passes[p][i];
            }
            Arrays.sort(values);
            medians[i] = values[values.length / 2] / 1e6;
        }
        return medians;
    }

    private static void report(String name, List<Sample> corpus, double[] millis, long peakHeap) {
        double seconds = Arrays.stream(millis).sum() / 1000;
        double megapixels = corpus.stream().mapToDouble(Sample::megapixels).sum();
        System.out.printf(Locale.ROOT, "%-15s %5.2f img/s %6.1f MP/s | p50/p90 ms: small %s, medium %s, large %s | peak heap %d MB%n",
                name, corpus.size() / seconds, megapixels / seconds,
                percentiles(corpus, millis, 0, 2), percentiles(corpus, millis, 2, 12), percentiles(corpus, millis, 12, 1000),
                peakHeap >> 20);
    }

    /** p50/p90 of the images between {@code from} and {@code to} megapixels. */
    private static String percentiles(List<Sample> corpus, double[] millis, double from, double to) {
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

    private List<Sample> corpus() throws IOException {
        try (Stream<Path> files = Files.list(Images.SHARED.resolve("corpus"))) {
            List<Sample> samples = new ArrayList<>();
            for (Path file : files.filter(p -> p.toString().endsWith(".jpg") || p.toString().endsWith(".png")).sorted().toList()) {
                byte[] bytes = Files.readAllBytes(file);
                ImageInfo info = inspector.inspect(bytes);
                samples.add(new Sample(file.getFileName().toString(), bytes, info.width() * (double) info.height() / 1e6));
            }
            return samples;
        }
    }

    private static void resetPeaks() {
        System.gc();
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }
}
