package dev.imageresizer.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.imageresizer.config.ResizerConfig.Fit;
import dev.imageresizer.config.ResizerConfig.OutputFormat;
import dev.imageresizer.failure.Failure;
import dev.imageresizer.failure.Failure.Reason;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.Libheif;

/**
 * libheif through JNA, where installed ({@code apt-get install libheif1}; .ci/run installs it and sets
 * {@code -Dheif.required=true}). Without it these tests are skipped with a line saying so, and the tests of what
 * happens without it ({@link #aMissingLibraryIsReportedWithWhatToInstall}, {@link #withoutLibheifAHeicIsUnsupported})
 * still run. The fixtures are made by {@code src/test/resources/fixtures/heif/make-fixtures.py} from
 * {@code fixtures/photos}.
 */
class HeifTest {

    private static Heif heif;

    @BeforeAll
    static void load() {
        heif = Heif.probe().codec().orElse(null);
    }

    @Test
    void aMissingLibraryIsReportedWithWhatToInstall() {
        Heif.Probe probe = Heif.probe("libheif-absent.so.9", Heif.DEFAULT_AVIF_SPEED, Heif.DEFAULT_MAX_PIXELS);

        assertTrue(probe.codec().isEmpty());
        assertFalse(probe.encodesAvif());
        assertTrue(probe.description().contains("libheif-absent.so.9") && probe.description().contains("apt-get install libheif1"), probe.description());
    }

    @Test
    void withoutLibheifAHeicIsUnsupported() {
        ImageInspector inspector = new ImageInspector(100_000_000L, 1000, Optional.empty());

        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> inspector.inspect(Images.fixture("heif/coffee-600x400.heic")));

        assertEquals(Reason.UNSUPPORTED, rejected.reason());
        assertTrue(rejected.getMessage().contains("HEIF/HEIC") && rejected.getMessage().contains("apt-get install libheif1"), rejected.getMessage());
        Failure.Rejected avif = assertThrows(Failure.Rejected.class, () -> inspector.inspect(Images.fixture("heif/coffee-600x400.avif")));
        assertTrue(avif.getMessage().contains("AVIF"), avif.getMessage());
    }

    @Test
    void theProbeNamesTheVersionAndCodecs() {
        requireHeif();
        Heif.Probe probe = Heif.probe();

        assertTrue(probe.description().startsWith("libheif 1."), probe.description());
        assertTrue(probe.encodesAvif(), "Debian's libheif1 brings libaom: " + probe.description());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "heif/coffee-600x400.heic, HEIF", "heif/coffee-600x400.avif, AVIF" })
    void decodesToTheSourcePixels(String fixture, ImageFormat format) {
        requireHeif();
        byte[] bytes = Images.fixture(fixture);
        BufferedImage source = Images.decode(Images.fixture("photos/coffee.png"));

        ImageInfo info = inspector().inspect(bytes);
        BufferedImage decoded = heif.decode(ImageData.of(bytes), format, 1);

        assertEquals(new ImageInfo(format, 600, 400, 1, false), info);
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, decoded.getType());
        double psnr = Images.psnr(source, decoded);
        assertTrue(psnr > 30, fixture + " decodes " + psnr + " dB from coffee.png");
        // the threshold tells channel orders apart: the same pixels with red and blue swapped are far below it
        assertTrue(Images.psnr(source, swapRedAndBlue(decoded)) < 25, "red and blue swapped still pass");
    }

    @Test
    void appliesIrotOnceAndIgnoresTheExifOrientationBesideIt() {
        requireHeif();
        // stored 400x600, turned upright by its irot; its EXIF says orientation 6 as well, as an iPhone's does
        byte[] bytes = Images.fixture("heif/coffee-irot-exif-6-600x400.heic");
        assertEquals(6, ImageInspector.orientation(ImageFormat.JPEG, exifOnly(bytes)), "the fixture carries EXIF orientation 6");

        ImageInfo info = inspector().inspect(bytes);
        BufferedImage decoded = heif.decode(ImageData.of(bytes), ImageFormat.HEIF, 1);

        assertEquals(600, info.displayWidth());
        assertEquals(400, info.displayHeight());
        assertEquals(1, info.orientation(), "libheif has applied irot; EXIF must not turn it again");
        double psnr = Images.psnr(Images.decode(Images.fixture("photos/coffee.png")), decoded);
        assertTrue(psnr > 30, "upright, " + psnr + " dB from coffee.png");
    }

    @Test
    void anExifOrientationWithoutIrotIsInformativeAsLibvipsTakesIt() {
        requireHeif();
        // heif-enc 1.15 keeps a JPEG's EXIF orientation 6 but writes no irot: shown as stored, as libvips shows it
        byte[] bytes = Images.fixture("heif/coffee-exif-6-no-irot-600x400.heic");

        ImageInfo info = inspector().inspect(bytes);

        assertEquals(new ImageInfo(ImageFormat.HEIF, 600, 400, 1, false), info);
        double psnr = Images.psnr(Images.decode(Images.fixture("photos/coffee.png")), heif.decode(ImageData.of(bytes), ImageFormat.HEIF, 1));
        assertTrue(psnr > 30, psnr + " dB");
    }

    @Test
    void convertsAnEmbeddedAdobeRgbProfileToSrgb() {
        requireHeif();
        // heif-enc carried rocket.jpg's Adobe RGB (1998) profile over; ImageIO's JPEG reader converts it to sRGB
        byte[] bytes = Images.fixture("heif/rocket-adobe-rgb-640x427.heic");
        BufferedImage reference = Images.decode(Images.fixture("photos/rocket.jpg"));

        BufferedImage decoded = heif.decode(ImageData.of(bytes), ImageFormat.HEIF, 1);

        double psnr = Images.psnr(reference, decoded);
        // converted, 30.3 dB (libvips' icc_transform of heif-convert's output gives the same); the pixels left in Adobe RGB
        // are 27.4 dB from libvips' sRGB decode of rocket.jpg (heif-convert does not convert)
        assertTrue(psnr > 29, "converted to sRGB: " + psnr + " dB from ImageIO's decode of rocket.jpg");
    }

    @Test
    void decodesTenBitsToEight() {
        requireHeif();
        byte[] bytes = Images.fixture("heif/pngsuite-basn2c16-10bit-32x32.heic");

        BufferedImage decoded = heif.decode(ImageData.of(bytes), inspector().inspect(bytes).format(), 1);

        assertEquals(BufferedImage.TYPE_3BYTE_BGR, decoded.getType());
        double psnr = Images.psnr(Images.decode(Images.fixture("pngsuite/png/basn2c16.png")), decoded);
        assertTrue(psnr > 30, "10-bit HEVC decodes " + psnr + " dB from the 16-bit PNG");
    }

    @Test
    void keepsAlpha() {
        requireHeif();
        byte[] bytes = Images.fixture("heif/cat-alpha-ramp-451x300.avif");

        ImageInfo info = inspector().inspect(bytes);
        BufferedImage decoded = heif.decode(ImageData.of(bytes), ImageFormat.AVIF, 1);

        assertEquals(new ImageInfo(ImageFormat.AVIF, 451, 300, 1, true), info);
        assertEquals(BufferedImage.TYPE_4BYTE_ABGR, decoded.getType());
        // a left-to-right ramp, 0 to 255
        assertTrue(averageAlpha(decoded, 0) < 8, "left edge alpha " + averageAlpha(decoded, 0));
        assertTrue(averageAlpha(decoded, 450) > 247, "right edge alpha " + averageAlpha(decoded, 450));
        assertTrue(Math.abs(averageAlpha(decoded, 225) - 127.5) < 8, "middle alpha " + averageAlpha(decoded, 225));
        BufferedImage opaque = new BufferedImage(451, 300, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[451];
        for (int y = 0; y < 300; y++) {
            decoded.getRGB(0, y, 451, 1, row, 0, 451);
            opaque.setRGB(0, y, 451, 1, row, 0, 451);
        }
        double psnr = Images.psnr(Images.decode(Images.fixture("photos/chelsea-cat.png")), opaque);
        assertTrue(psnr > 28, "colour under the alpha " + psnr + " dB from chelsea-cat.png");
    }

    @Test
    void subsamplesWhileCopying() {
        requireHeif();
        BufferedImage half = heif.decode(ImageData.of(Images.fixture("heif/coffee-600x400.heic")), ImageFormat.HEIF, 2);

        assertEquals(300, half.getWidth());
        assertEquals(200, half.getHeight());
        double psnr = Images.psnr(Images.shrink(Images.decode(Images.fixture("photos/coffee.png")), 2), half);
        assertTrue(psnr > 24, psnr + " dB");
    }

    @Test
    void thePixelLimitAppliesFromTheHeaderBeforeDecoding() {
        requireHeif();
        ImageInspector small = new ImageInspector(200_000, 1000, Optional.of(heif));

        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> small.inspect(Images.fixture("heif/coffee-600x400.avif")));

        assertEquals(Reason.TOO_LARGE, rejected.reason());
        assertTrue(rejected.getMessage().contains("600x400"), rejected.getMessage());
    }

    @Test
    void libheifsOwnPixelLimitAppliesToo() {
        requireHeif();
        Heif tight = Heif.probe(Heif.SONAME, Heif.DEFAULT_AVIF_SPEED, 200_000).codec().orElseThrow();
        ImageInspector inspector = new ImageInspector(100_000_000L, 1000, Optional.of(tight));

        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> inspector.inspect(Images.fixture("heif/coffee-600x400.heic")));

        assertEquals(Reason.TOO_LARGE, rejected.reason());
        assertTrue(rejected.getMessage().contains("resizer.heif.max-megapixels"), rejected.getMessage());
    }

    @Test
    void decodesFromATemporaryFileAsFromMemory() throws Exception {
        requireHeif();
        java.nio.file.Path file = java.nio.file.Files.createTempFile("heif-test", ".heic");
        java.nio.file.Files.write(file, Images.fixture("heif/coffee-irot-exif-6-600x400.heic"));
        try (ImageData data = new ImageData.InFile(file, java.nio.file.Files.size(file))) {
            ImageInfo info = inspector().inspect(data);
            BufferedImage decoded = heif.decode(data, info.format(), 1);

            assertEquals(new ImageInfo(ImageFormat.HEIF, 600, 400, 1, false), info);
            assertTrue(Images.psnr(Images.decode(Images.fixture("photos/coffee.png")), decoded) > 30);
        }
    }

    @Test
    void aDecompressionBombIsRefusedFromItsHeader() {
        requireHeif();
        // libvips' test file: an AVIF whose ispe says 17000x17000
        byte[] bomb = Images.read("external/libvips/17000x17000.avif");

        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> inspector().inspect(bomb));

        assertEquals(Reason.TOO_LARGE, rejected.reason(), rejected.getMessage());
        assertTrue(rejected.getMessage().contains("17000x17000"), rejected.getMessage());
    }

    @Test
    void truncatedAndDamagedFilesAreRefusedNeverCrash() {
        requireHeif();
        Random random = new Random(15);
        int damagedFiles = 0;
        int damagedRefused = 0;
        for (String fixture : List.of("heif/coffee-600x400.heic", "heif/coffee-600x400.avif", "heif/cat-alpha-ramp-451x300.avif",
                "heif/coffee-irot-exif-6-600x400.heic")) {
            byte[] original = Images.fixture(fixture);
            for (int length : new int[] { 12, 40, 100, 300, 1000, original.length / 4, original.length / 2, original.length - 100, original.length - 1 }) {
                byte[] truncated = Arrays.copyOf(original, length);
                Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> inspectAndDecode(truncated),
                        fixture + " cut to " + length + " bytes");
                assertTrue(rejected.reason() == Reason.CORRUPT || rejected.reason() == Reason.NOT_AN_IMAGE, rejected.getMessage());
            }
            for (int i = 0; i < 30; i++) {
                byte[] damaged = original.clone();
                int at = i < 15 ? random.nextInt(Math.min(600, damaged.length)) : random.nextInt(damaged.length); // boxes, then anywhere
                for (int k = 0; k < 1 + random.nextInt(8); k++) {
                    damaged[Math.min(damaged.length - 1, at + k)] = (byte) random.nextInt(256);
                }
                damagedFiles++;
                try {
                    inspectAndDecode(damaged);
                } catch (Failure.Rejected e) {
                    damagedRefused++;
                }
                // any other exception fails the test; a native crash would end the JVM
            }
        }
        System.out.println("HeifTest: of " + damagedFiles + " damaged HEIC/AVIF files " + damagedRefused + " were refused, the rest decoded");
    }

    private static void inspectAndDecode(byte[] bytes) {
        ImageInfo info = inspector().inspect(bytes);
        heif.decode(ImageData.of(bytes), info.format(), 1);
    }

    @Test
    void writesAvifRenditionsThatDecodeBack() {
        requireHeif();
        byte[] png = Images.fixture("photos/coffee.png");
        Renderer renderer = new Renderer(Optional.empty(), Optional.of(heif));
        ImageInfo info = new ImageInspector(100_000_000L).inspect(png);
        RenditionSpec spec = new RenditionSpec("small", 300, 300, Fit.BOUND, OutputFormat.AVIF, 60);
        BufferedImage source = new ImageDecoder().decode(png, info, 1);

        Rendered rendered = renderer.render(source, 1, List.of(Target.plan(spec, info))).get(0);

        assertEquals("image/avif", rendered.contentType());
        assertEquals(ImageFormat.AVIF, ImageFormat.sniff(rendered.bytes()));
        BufferedImage back = heif.decode(ImageData.of(rendered.bytes()), ImageFormat.AVIF, 1);
        assertEquals(300, back.getWidth());
        assertEquals(200, back.getHeight());
        double psnr = Images.psnr(Images.shrink(Images.decode(png), 2), back);
        assertTrue(psnr > 28, "the AVIF rendition is " + psnr + " dB from coffee.png halved");
    }

    @Test
    void writesAlphaIntoAvif() {
        requireHeif();
        BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) {
                image.setRGB(x, y, (x * 4) << 24 | 0x3060c0);
            }
        }

        BufferedImage back = heif.decode(ImageData.of(heif.encodeAvif(image, 90)), ImageFormat.AVIF, 1);

        assertEquals(BufferedImage.TYPE_4BYTE_ABGR, back.getType());
        assertTrue(averageAlpha(back, 0) < 8 && averageAlpha(back, 63) > 240, averageAlpha(back, 0) + " to " + averageAlpha(back, 63));
    }

    private static ImageInspector inspector() {
        return new ImageInspector(100_000_000L, 1000, Optional.of(heif));
    }

    private static double averageAlpha(BufferedImage image, int x) {
        double sum = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            sum += image.getRGB(x, y) >>> 24;
        }
        return sum / image.getHeight();
    }

    private static BufferedImage swapRedAndBlue(BufferedImage image) {
        BufferedImage swapped = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                swapped.setRGB(x, y, (p & 0xff) << 16 | p & 0xff00 | p >> 16 & 0xff);
            }
        }
        return swapped;
    }

    /** The EXIF block of a HEIF file wrapped as a JPEG APP1 segment, so metadata-extractor's JPEG path reads it. */
    private static byte[] exifOnly(byte[] heif) {
        int at = indexOf(heif, new byte[] { 'I', 'I', '*', 0 });
        assertTrue(at > 0, "an EXIF block");
        byte[] tiff = Arrays.copyOfRange(heif, at, Math.min(heif.length, at + 64));
        byte[] jpeg = new byte[2 + 4 + 6 + tiff.length + 2];
        jpeg[0] = (byte) 0xFF;
        jpeg[1] = (byte) 0xD8;
        jpeg[2] = (byte) 0xFF;
        jpeg[3] = (byte) 0xE1;
        int length = 2 + 6 + tiff.length;
        jpeg[4] = (byte) (length >> 8);
        jpeg[5] = (byte) length;
        System.arraycopy("Exif\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, jpeg, 6, 6);
        System.arraycopy(tiff, 0, jpeg, 12, tiff.length);
        jpeg[jpeg.length - 2] = (byte) 0xFF;
        jpeg[jpeg.length - 1] = (byte) 0xD9;
        return jpeg;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer: for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void requireHeif() {
        Libheif.require("HeifTest");
    }
}
