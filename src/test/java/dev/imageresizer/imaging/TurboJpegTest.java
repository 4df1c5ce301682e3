package dev.imageresizer.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.imageresizer.config.ResizerConfig.Fit;
import dev.imageresizer.config.ResizerConfig.OutputFormat;
import dev.imageresizer.failure.Failure;
import dev.imageresizer.failure.Failure.Reason;
import dev.imageresizer.support.Images;

/**
 * libjpeg-turbo through its JNI binding, where installed ({@code apt-get install libturbojpeg-java libturbojpeg0-dev};
 * .ci/run installs it). Without it these tests are skipped, and {@link #aMissingBindingFallsBackToImageIo()} still runs.
 */
class TurboJpegTest {

    private static TurboJpeg turbo;
    private final ImageInspector inspector = new ImageInspector(100_000_000L);

    @BeforeAll
    static void load() {
        turbo = TurboJpeg.probe(TurboJpeg.DEBIAN_JAR).codec().orElse(null);
    }

    @Test
    void aMissingBindingFallsBackToImageIo() {
        TurboJpeg.Probe probe = TurboJpeg.probe(Path.of("/nonexistent/turbojpeg.jar"));

        assertTrue(probe.codec().isEmpty());
        assertEquals("imageio", probe.name());
        assertTrue(probe.description().contains("/nonexistent/turbojpeg.jar"), probe.description());
        assertEquals("imageio", TurboJpeg.probe(TurboJpeg.DEBIAN_JAR, false).name());
    }

    @ParameterizedTest
    @CsvSource({ "0.1, 1", "0.125, 1", "0.126, 2", "0.5, 4", "0.51, 5", "1.0, 8", "3.0, 8", "0, 1" })
    void decodesToTheSmallestEighthThatIsLargeEnough(double minimumScale, int eighths) {
        assertEquals(eighths, TurboJpeg.eighths(minimumScale));
    }

    @Test
    void decodesLikeImageIoAtFullSize() {
        requireTurbo();
        byte[] jpeg = Images.fixture("photos/elephants-1920.jpg");

        BufferedImage ours = turbo.decode(jpeg, 8).orElseThrow();
        BufferedImage reference = Images.decode(jpeg);

        assertEquals(reference.getWidth(), ours.getWidth());
        assertEquals(reference.getHeight(), ours.getHeight());
        double psnr = Images.psnr(reference, ours);
        assertTrue(psnr > 40, "libjpeg-turbo and ImageIO decode the same JPEG to " + psnr + " dB apart");
    }

    @Test
    void convertsAnEmbeddedAdobeRgbProfileToSrgbAsImageIoDoes() {
        requireTurbo();
        byte[] jpeg = Images.fixture("photos/rocket.jpg");
        ImageInfo info = inspector.inspect(jpeg);
        assertTrue(ColorProfile.nonSrgb(jpeg).isPresent(), "s_rocket.jpg embeds Adobe RGB (1998)");
        BufferedImage reference = Images.decode(jpeg);
        BufferedImage unconverted = turbo.decode(jpeg, 8).orElseThrow();

        BufferedImage ours = new ImageDecoder(Optional.of(turbo)).decode(ImageData.of(jpeg), info, 1.0);

        double before = Images.psnr(reference, unconverted);
        double after = Images.psnr(reference, ours);
        assertTrue(before < 30, "unconverted Adobe RGB pixels are " + before + " dB from ImageIO's sRGB");
        assertTrue(after > 40, "converted: " + after + " dB from ImageIO's sRGB");
    }

    @Test
    void leavesSrgbAndProfileFreeJpegsAlone() {
        assertTrue(ColorProfile.nonSrgb(withProfile(Images.fixture("photos/rocket.jpg"), java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_sRGB).getData())).isEmpty(), "an embedded sRGB profile");
        assertTrue(ColorProfile.nonSrgb(Images.fixture("photos/elephants-1920.jpg")).isEmpty(), "no profile");
        byte[] jpeg = Images.fixture("photos/rocket.jpg");
        assertEquals(560, ColorProfile.iccBytes(jpeg).length);
        // a damaged profile is ignored, never the image's failure
        byte[] damaged = jpeg.clone();
        int icc = new String(damaged, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("ICC_PROFILE") + 14;
        Arrays.fill(damaged, icc, icc + 128, (byte) 0x55);
        assertTrue(ColorProfile.nonSrgb(damaged).isEmpty());
    }

    @Test
    void scalesInTheDctDomain() {
        requireTurbo();
        byte[] jpeg = Images.fixture("photos/dune.jpg");
        ImageInfo info = inspector.inspect(jpeg);

        BufferedImage quarter = turbo.decode(jpeg, 2).orElseThrow();

        assertEquals((info.width() * 2 + 7) / 8, quarter.getWidth());
        assertEquals((info.height() * 2 + 7) / 8, quarter.getHeight());
        // averaged, not pixel-dropped: close to a smooth reduction of the full image
        BufferedImage smooth = Images.shrink(Images.decode(jpeg), 4);
        BufferedImage cropped = quarter.getSubimage(0, 0, smooth.getWidth(), smooth.getHeight());
        assertTrue(Images.psnr(smooth, cropped) > 30, "DCT-scaled decode is " + Images.psnr(smooth, cropped) + " dB from a box filter");
    }

    @Test
    void encodesJpegThatImageIoReads() {
        requireTurbo();
        BufferedImage image = Images.decode(Images.fixture("photos/coffee.png"));

        byte[] jpeg = turbo.encode(image, 85);

        assertEquals(ImageFormat.JPEG, ImageFormat.sniff(jpeg));
        BufferedImage decoded = Images.decode(jpeg);
        assertEquals(image.getWidth(), decoded.getWidth());
        assertEquals(image.getHeight(), decoded.getHeight());
        assertTrue(Images.psnr(image, decoded) > 33, "Q85 round trip: " + Images.psnr(image, decoded) + " dB");
    }

    @Test
    void aTruncatedJpegIsCorruptAsWithImageIo() {
        requireTurbo();
        byte[] jpeg = Images.fixture("photos/dune.jpg");
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);
        ImageDecoder decoder = new ImageDecoder(Optional.of(turbo));
        ImageInfo info = inspector.inspect(truncated);

        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> decoder.decode(ImageData.of(truncated), info, 0.1));

        assertEquals(Reason.CORRUPT, rejected.reason());
        assertTrue(rejected.getMessage().contains("truncated"), rejected.getMessage());
    }

    @Test
    void rendersTheSameRenditionsAsThePureJavaPath() {
        requireTurbo();
        List<RenditionSpec> specs = List.of(new RenditionSpec("large", 1280, 1280, Fit.BOUND, OutputFormat.SAME, 85),
                new RenditionSpec("thumb", 150, 150, Fit.COVER, OutputFormat.SAME, 85));
        Imaging fast = new Imaging(100_000_000L, TurboJpeg.probe(TurboJpeg.DEBIAN_JAR));
        Imaging java = new Imaging(100_000_000L, TurboJpeg.probe(TurboJpeg.DEBIAN_JAR, false));
        assertEquals("libjpeg-turbo", fast.jpegCodec().name());
        ImageData original = ImageData.of(Images.fixture("photos/elephants-1920.jpg"));

        List<Rendered> ours = fast.renderAll(original, specs);
        List<Rendered> reference = java.renderAll(original, specs);

        for (int i = 0; i < specs.size(); i++) {
            assertEquals(reference.get(i).width(), ours.get(i).width());
            assertEquals(reference.get(i).height(), ours.get(i).height());
            double psnr = Images.psnr(Images.decode(reference.get(i).bytes()), Images.decode(ours.get(i).bytes()));
            assertTrue(psnr > 32, specs.get(i).name() + ": " + psnr + " dB between the two paths");
        }
        assertFalse(Arrays.equals(reference.get(0).bytes(), ours.get(0).bytes()), "the libjpeg-turbo path was not taken");
    }

    /** {@code jpeg} with its (single-segment) ICC profile replaced by {@code profile}. */
    private static byte[] withProfile(byte[] jpeg, byte[] profile) {
        int marker = new String(jpeg, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("ICC_PROFILE") - 4; // FF E2 and the length
        int end = marker + 2 + ((jpeg[marker + 2] & 0xff) << 8 | (jpeg[marker + 3] & 0xff));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(jpeg, 0, marker);
        int length = 2 + 14 + profile.length;
        out.writeBytes(new byte[] { (byte) 0xFF, (byte) 0xE2, (byte) (length >> 8), (byte) length });
        out.writeBytes("ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.writeBytes(new byte[] { 1, 1 });
        out.writeBytes(profile);
        out.write(jpeg, end, jpeg.length - end);
        return out.toByteArray();
    }

    private static void requireTurbo() {
        String missing = "libjpeg-turbo's Java binding is not installed at " + TurboJpeg.DEBIAN_JAR + " (apt-get install libturbojpeg-java libturbojpeg0-dev)";
        if (Boolean.getBoolean("jpeg.turbo.required")) {
            assertTrue(turbo != null, missing + "; -Djpeg.turbo.required=true (as .ci/run sets) makes it mandatory");
        }
        if (turbo == null) {
            System.err.println("TurboJpegTest skipped: " + missing + "; -Djpeg.turbo.required=true makes it fail instead");
        }
        assumeTrue(turbo != null, missing + "; skipped");
    }
}
