package dev.imageresizer.imaging;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imageresizer.config.ResizerConfig.Crop;
import dev.imageresizer.imaging.CropAgreement.Comparison;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.OffCentreSubjects;
import dev.imageresizer.support.OffCentreSubjects.Subject;

/**
 * {@code crop=attention} against libvips' smartcrop attention on the same files, for a 150x150 thumbnail: the
 * off-centre subjects ({@link OffCentreSubjects}) and the repository's photos. Needs Debian's {@code libvips-tools};
 * without it the test is skipped with a line saying so ({@code -Dvips.required=true}, as .ci/run sets, makes it fail).
 */
class VipsAgreementTest {

    private static final int THUMB = 150;

    @BeforeAll
    static void requireVips() {
        String missing = "libvips' command line is not installed (apt-get install libvips-tools)";
        boolean installed = CropAgreement.vipsInstalled();
        if (Boolean.getBoolean("vips.required")) {
            assertTrue(installed, missing + "; -Dvips.required=true (as .ci/run sets) makes it mandatory");
        }
        if (!installed) {
            System.err.println("VipsAgreementTest skipped: " + missing + "; -Dvips.required=true makes it fail instead");
        }
        assumeTrue(installed, missing + "; skipped");
    }

    @Test
    void onOffCentreSubjectsBothKeepTheSubject(@TempDir Path dir) throws IOException {
        List<Comparison> comparisons = new ArrayList<>();
        for (Subject subject : OffCentreSubjects.all()) {
            Path file = dir.resolve(subject.name() + ".png");
            ImageIO.write(subject.image(), "png", file.toFile());
            Comparison c = CropAgreement.compare(file, THUMB, Crop.ATTENTION).orElseThrow();
            System.out.println("attention vs libvips " + c);
            comparisons.add(c);
            assertTrue(c.iou() >= 0.5, "libvips and we cut different parts of " + c);
        }
        System.out.printf("attention vs libvips, off-centre subjects: mean IoU %.2f over %d images%n", CropAgreement.mean(comparisons), comparisons.size());
    }

    @Test
    void onPhotosTheWindowsMostlyAgree() throws IOException {
        List<Comparison> comparisons = new ArrayList<>();
        try (Stream<Path> files = Files.list(Images.FIXTURES.resolve("photos"))) {
            for (Path file : files.filter(f -> f.toString().matches(".*\\.(jpg|png)")).sorted().toList()) {
                CropAgreement.compare(file, THUMB, Crop.ATTENTION).ifPresent(c -> {
                    System.out.println("attention vs libvips " + c);
                    comparisons.add(c);
                });
            }
        }
        double mean = CropAgreement.mean(comparisons);
        System.out.printf("attention vs libvips, photos: mean IoU %.2f over %d images%n", mean, comparisons.size());
        assertTrue(comparisons.size() >= 5, "photos compared: " + comparisons.size());
        assertTrue(mean >= 0.6, "mean IoU " + mean);
    }
}
