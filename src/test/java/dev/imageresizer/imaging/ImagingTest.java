package dev.imageresizer.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.imageresizer.config.ResizerConfig.Fit;
import dev.imageresizer.config.ResizerConfig.OutputFormat;
import dev.imageresizer.failure.Failure;
import dev.imageresizer.failure.Failure.Reason;
import dev.imageresizer.support.Images;

/** The imaging steps turn whatever a decoder throws into the image's verdict, and nothing else. */
class ImagingTest {

    private final Imaging imaging = new Imaging(100_000_000L, TurboJpeg.probe(TurboJpeg.DEBIAN_JAR, false));
    private final List<RenditionSpec> specs = List.of(new RenditionSpec("thumb", 32, 32, Fit.COVER, OutputFormat.SAME, 80));

    @Test
    void aDecoderBugIsTheImagesPermanentVerdict() throws Exception {
        try (AutoCloseable faulty = FaultyDecoder.install()) {
            Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> imaging.renderAll(ImageData.of(FaultyDecoder.png()), specs));

            assertEquals(Reason.CORRUPT, rejected.reason());
            assertTrue(rejected.getMessage().contains("ArithmeticException: " + FaultyDecoder.FAILURE), rejected.getMessage());
        }
    }

    @Test
    void withoutTheBugTheSameFileDecodes() {
        assertEquals(1, imaging.renderAll(ImageData.of(FaultyDecoder.png()), specs).size());
    }

    @Test
    void aFailureToStoreARenditionIsNotTheImagesFault() {
        byte[] png = Images.synthetic("png", 64, 48, false);
        ImageInfo info = imaging.inspect(ImageData.of(png));
        List<Target> targets = specs.stream().map(spec -> Target.plan(spec, info)).toList();
        Failure.Transient unreachable = Failure.unavailable("object store unreachable", null);
        IllegalStateException bug = new IllegalStateException("a bug in the caller");

        assertSame(unreachable, assertThrows(Failure.Transient.class, () -> imaging.render(ImageData.of(png), info, targets, r -> {
            throw unreachable;
        })));
        assertSame(bug, assertThrows(IllegalStateException.class, () -> imaging.render(ImageData.of(png), info, targets, r -> {
            throw bug;
        })));
    }
}
