package dev.imageresizer.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.imageresizer.config.ResizerConfig.Crop;
import dev.imageresizer.imaging.CropAgreement;
import dev.imageresizer.imaging.CropAgreement.Comparison;
import dev.imageresizer.support.Images;

/**
 * Our {@code crop=attention} and {@code crop=entropy} beside libvips' ({@code vips thumbnail ... 150 --height 150 --crop
 * attention|entropy}) on every JPEG, PNG and WebP of the shared corpus ({@code -Dbench.corpus}, default
 * ../shared/corpus) that is stored upright and needs a crop: the overlap (IoU) of the two 150x150 windows per image and
 * the mean, and what our decision cost (see docs/formats.md). Needs Debian's libvips-tools.
 */
class CropAgreementBenchmark {

    private static final Path CORPUS = Path.of(System.getProperty("bench.corpus", Images.SHARED.resolve("corpus").toString()));

    @Test
    void attentionAndEntropyAgainstLibvips() throws IOException {
        assumeTrue(CropAgreement.vipsInstalled(), "libvips-tools is not installed");
        assumeTrue(Files.isDirectory(CORPUS), CORPUS + " is missing");
        List<Path> files;
        try (Stream<Path> listed = Files.list(CORPUS)) {
            files = listed.filter(f -> f.getFileName().toString().matches("[^.]+\\.(jpg|png|webp)")).sorted().toList();
        }
        for (Crop strategy : List.of(Crop.ATTENTION, Crop.ENTROPY)) {
            List<Comparison> comparisons = new ArrayList<>();
            for (Path file : files) {
                Optional<Comparison> c;
                try {
                    c = CropAgreement.compare(file, 150, strategy);
                } catch (IllegalArgumentException e) {
                    System.out.println("skipped " + file.getFileName() + ": " + e.getMessage());
                    continue;
                }
                c.ifPresent(comparison -> {
                    System.out.println(strategy.name().toLowerCase() + " " + comparison);
                    comparisons.add(comparison);
                });
            }
            double[] millis = comparisons.stream().mapToDouble(Comparison::millis).sorted().toArray();
            long agreeing = comparisons.stream().filter(c -> c.iou() >= 0.5).count();
            System.out.printf(Locale.ROOT, "%s vs libvips on %d corpus images: mean IoU %.2f, %d with IoU >= 0.5; decision median %.1f ms, max %.1f ms%n",
                    strategy.name().toLowerCase(), comparisons.size(), CropAgreement.mean(comparisons), agreeing, millis[millis.length / 2],
                    millis[millis.length - 1]);
            assertTrue(comparisons.size() >= 10, "compared " + comparisons.size());
        }
    }
}
