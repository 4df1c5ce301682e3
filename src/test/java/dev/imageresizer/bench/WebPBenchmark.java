package dev.imageresizer.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.sksamuel.scrimage.ImmutableImage;
import com.sksamuel.scrimage.nio.JpegWriter;

import dev.imageresizer.config.ResizerConfig.Fit;
import dev.imageresizer.config.ResizerConfig.Lossless;
import dev.imageresizer.config.ResizerConfig.OutputFormat;
import dev.imageresizer.imaging.ImageData;
import dev.imageresizer.imaging.ImageInfo;
import dev.imageresizer.imaging.Imaging;
import dev.imageresizer.imaging.Rendered;
import dev.imageresizer.imaging.RenditionSpec;
import dev.imageresizer.imaging.Target;
import dev.imageresizer.imaging.TurboJpeg;
import dev.imageresizer.imaging.WebP;
import dev.imageresizer.local.ServerClasspath;
import dev.imageresizer.support.Images;

/**
 * WebP against JPEG on the corpus, at the default renditions' sizes (1280, 640 and 150 cover) and the same quality (85):
 * for every original, each rendition made both ways by the imaging step, the bytes of each, each decoded back and
 * compared by PSNR with the exact rendition pixels both encoders were given (a PNG rendition, lossless) and with each
 * other, and the encode cost alone (median of 3 after a warm-up, JPEG with libjpeg-turbo when installed as the renderer
 * does). In this JVM, not pinned. Prints a table and writes it to {@code target/bench/webp.md}. Figures, not
 * assertions: {@code ./mvnw verify -Pbench -Dit.test=WebPBenchmark}; {@code -Dbench.corpus=<dir>} for another corpus
 * (default {@code ../shared/corpus}).
 */
class WebPBenchmark {

    private static final Path CORPUS = Path.of(System.getProperty("bench.corpus", Images.SHARED.resolve("corpus").toString()));
    private static final Path OUT = ServerClasspath.projectDir().resolve("target/bench/webp.md");
    private static final int QUALITY = 85;
    private static final int PASSES = 3;
    private static final List<RenditionSpec> BOXES = List.of(new RenditionSpec("large", 1280, 1280, Fit.BOUND, OutputFormat.SAME, QUALITY),
            new RenditionSpec("small", 640, 640, Fit.BOUND, OutputFormat.SAME, QUALITY),
            new RenditionSpec("thumb", 150, 150, Fit.COVER, OutputFormat.SAME, QUALITY));

    /** One rendition of one original, both ways. */
    record Pair(int width, int height, int jpegBytes, int webpBytes, double jpegPsnr, double webpPsnr, double webpVsJpeg, double jpegMillis,
            double webpMillis) {
    }

    @Test
    void webpAgainstJpeg() throws IOException {
        TurboJpeg.Probe codec = TurboJpeg.probe(TurboJpeg.DEBIAN_JAR);
        Optional<TurboJpeg> turbo = codec.codec();
        Imaging imaging = new Imaging(Long.MAX_VALUE, codec);
        List<String> rows = new ArrayList<>();
        List<Pair> all = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(CORPUS)) {
            files = list.filter(p -> p.getFileName().toString().matches("(?i).*\\.(jpe?g|png|webp|bmp|tiff?)")).sorted().toList();
        }
        rows.add("| original | MP | 1280 box | JPEG bytes | WebP bytes | WebP saves | PSNR JPEG | PSNR WebP | PSNR WebP vs JPEG "
                + "| all 3 sizes: WebP saves | JPEG encode ms | WebP encode ms |");
        rows.add("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (Path file : files) {
            byte[] bytes = Files.readAllBytes(file);
            ImageData data = ImageData.of(bytes);
            ImageInfo info = imaging.inspect(data);
            List<Target> png = targets(info, OutputFormat.PNG);
            BufferedImage decoded = imaging.decode(data, info, png);
            List<Rendered> reference = imaging.render(decoded, info, png, r -> {
            });
            List<Rendered> jpeg = imaging.render(decoded, info, targets(info, OutputFormat.JPEG), r -> {
            });
            List<Rendered> webp = imaging.render(decoded, info, targets(info, OutputFormat.WEBP), r -> {
            });
            List<Pair> pairs = new ArrayList<>();
            for (int i = 0; i < BOXES.size(); i++) {
                BufferedImage exact = Images.decode(reference.get(i).bytes());
                BufferedImage fromJpeg = Images.decode(jpeg.get(i).bytes());
                BufferedImage fromWebp = Images.decode(webp.get(i).bytes());
                boolean alpha = exact.getColorModel().hasAlpha();
                double jpegMillis = median(() -> alpha || turbo.isEmpty() ? javaJpeg(exact) : turbo.get().encode(exact, QUALITY));
                double webpMillis = median(() -> WebP.encode(exact, QUALITY, Lossless.FALSE));
                pairs.add(new Pair(exact.getWidth(), exact.getHeight(), jpeg.get(i).bytes().length, webp.get(i).bytes().length,
                        Images.psnr(exact, fromJpeg), Images.psnr(exact, fromWebp), Images.psnr(fromJpeg, fromWebp), jpegMillis, webpMillis));
            }
            all.addAll(pairs);
            Pair large = pairs.get(0);
            rows.add(String.format(Locale.ROOT, "| %s | %.1f | %dx%d | %d | %d | %s | %.1f | %.1f | %.1f | %s | %.1f | %.1f |",
                    file.getFileName(), (double) info.width() * info.height() / 1e6, large.width(), large.height(), large.jpegBytes(),
                    large.webpBytes(), saved(List.of(large)), large.jpegPsnr(), large.webpPsnr(), large.webpVsJpeg(), saved(pairs),
                    pairs.stream().mapToDouble(Pair::jpegMillis).sum(), pairs.stream().mapToDouble(Pair::webpMillis).sum()));
            System.out.println(rows.get(rows.size() - 1));
        }
        double[] savings = all.stream().mapToDouble(p -> 1 - (double) p.webpBytes() / p.jpegBytes()).sorted().toArray();
        rows.add(String.format(Locale.ROOT, "| **all %d originals** | | %d renditions | %d | %d | %s | %.1f | %.1f | %.1f | median %.0f%% | %.0f | %.0f |",
                files.size(), all.size(), all.stream().mapToLong(Pair::jpegBytes).sum(), all.stream().mapToLong(Pair::webpBytes).sum(),
                saved(all), all.stream().mapToDouble(Pair::jpegPsnr).average().orElse(0), all.stream().mapToDouble(Pair::webpPsnr).average().orElse(0),
                all.stream().mapToDouble(Pair::webpVsJpeg).average().orElse(0), 100 * savings[savings.length / 2],
                all.stream().mapToDouble(Pair::jpegMillis).sum(), all.stream().mapToDouble(Pair::webpMillis).sum()));
        String header = String.format(Locale.ROOT, "WebP against JPEG, quality %d, %d originals from %s; JPEG codec: %s; %s %s, %d processors%n%n",
                QUALITY, files.size(), CORPUS, codec.description(), System.getProperty("os.name"), System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors());
        String table = header + String.join("\n", rows) + "\n";
        Files.createDirectories(OUT.getParent());
        Files.writeString(OUT, table);
        System.out.println();
        System.out.println(table);
    }

    private static List<Target> targets(ImageInfo info, OutputFormat format) {
        return BOXES.stream().map(b -> Target.plan(new RenditionSpec(b.name(), b.width(), b.height(), b.fit(), format, QUALITY), info)).toList();
    }

    private static byte[] javaJpeg(BufferedImage image) {
        try {
            return ImmutableImage.wrapAwt(image).bytes(new JpegWriter(QUALITY, false));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Median milliseconds of {@link #PASSES} runs after a warm-up run. */
    private static double median(Supplier<byte[]> encode) {
        encode.get();
        double[] millis = new double[PASSES];
        for (int i = 0; i < PASSES; i++) {
            long start = System.nanoTime();
            encode.get();
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        return millis[PASSES / 2];
    }

    private static String saved(List<Pair> pairs) {
        long jpeg = pairs.stream().mapToLong(Pair::jpegBytes).sum();
        long webp = pairs.stream().mapToLong(Pair::webpBytes).sum();
        return String.format(Locale.ROOT, "%.0f%%", 100 * (1 - (double) webp / jpeg));
    }
}
