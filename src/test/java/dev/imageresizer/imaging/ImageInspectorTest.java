package dev.imageresizer.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.imageresizer.failure.Failure;
import dev.imageresizer.failure.Failure.Reason;
import dev.imageresizer.support.HostileImages;
import dev.imageresizer.support.Images;

class ImageInspectorTest {

    private static final Path PNGSUITE = Images.FIXTURES.resolve("pngsuite/png");

    private final ImageInspector inspector = new ImageInspector(100_000_000L);

    static Stream<Path> validPngSuite() throws IOException {
        return pngSuite().filter(p -> !p.getFileName().toString().startsWith("x"));
    }

    static Stream<Path> corruptPngSuite() throws IOException {
        return pngSuite().filter(p -> p.getFileName().toString().startsWith("x"));
    }

    private static Stream<Path> pngSuite() throws IOException {
        return Files.list(PNGSUITE).filter(p -> p.toString().endsWith(".png")).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validPngSuite")
    void acceptsEveryValidPngSuiteImage(Path file) throws IOException {
        byte[] png = Files.readAllBytes(file);

        ImageInfo info = inspector.inspect(png);

        assertEquals(ImageFormat.PNG, info.format());
        assertEquals(java.nio.ByteBuffer.wrap(png, 16, 4).getInt(), info.width());
        assertEquals(java.nio.ByteBuffer.wrap(png, 20, 4).getInt(), info.height());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptPngSuite")
    void rejectsEveryCorruptPngSuiteImageWithAReason(Path file) throws IOException {
        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> inspector.inspect(Files.readAllBytes(file)));

        assertEquals(Reason.CORRUPT, rejected.reason(), rejected.getMessage());
        assertTrue(rejected.getMessage().startsWith("corrupt PNG: "), rejected.getMessage());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "xc1n0g08.png | invalid colour type 1",
            "xc9n2c08.png | invalid colour type 9",
            "xd0n2c08.png | invalid bit depth 0",
            "xd3n2c08.png | invalid bit depth 3",
            "xd9n2c08.png | invalid bit depth 99",
            "xdtn0g01.png | no IDAT chunk",
            "xhdn0g08.png | CRC mismatch in chunk IHDR",
            "xcsn0g01.png | CRC mismatch in chunk IDAT",
            "xs1n0g01.png | signature is damaged",
            "xcrn0g04.png | signature is damaged",
            "xlfn0g04.png | signature is damaged",
    })
    void saysWhatIsWrong(String file, String reason) throws IOException {
        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> inspector.inspect(Files.readAllBytes(PNGSUITE.resolve(file))));

        assertTrue(rejected.getMessage().contains(reason), rejected.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "fixtures/photos/dune.jpg, JPEG, false",
            "external/pillow/hopper.tif, TIFF, false",
            "external/bmpsuite/pal8.bmp, BMP, false",
            "fixtures/photos/coffee.png, PNG, false",
            "fixtures/pngsuite/png/basn6a08.png, PNG, true",
            "fixtures/pngsuite/png/tbrn2c08.png, PNG, true",
            "fixtures/pngsuite/png/basn3p08.png, PNG, false",
    })
    void readsFormatAndAlphaWithoutDecoding(String file, ImageFormat format, boolean alpha) {
        ImageInfo info = inspector.inspect(Images.read(file));

        assertEquals(format, info.format());
        assertEquals(alpha, info.alpha());
    }

    @Test
    void readsGifTransparency() {
        ImageInfo info = inspector.inspect(Images.synthetic("gif", 40, 30, true));

        assertEquals(new ImageInfo(ImageFormat.GIF, 40, 30, 1, true), info);
    }

    @Test
    void refusesAnAnimationOfMoreFramesThanTheLimitBeforeDecoding() {
        byte[] gif = HostileImages.animatedGif(30, 8, 8);

        assertEquals(ImageFormat.GIF, new ImageInspector(100_000_000L, 30).inspect(gif).format(), "30 frames, limit 30");
        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> new ImageInspector(100_000_000L, 29).inspect(gif));

        assertEquals(Reason.TOO_LARGE, rejected.reason());
        assertTrue(rejected.getMessage().contains("29 frames"), rejected.getMessage());
    }

    @Test
    void countsGifFramesByTheirBlocks() throws IOException {
        assertEquals(1, GifFrames.count(new java.io.ByteArrayInputStream(Images.synthetic("gif", 40, 30, true)), 10));
        assertEquals(7, GifFrames.count(new java.io.ByteArrayInputStream(HostileImages.animatedGif(7, 4, 4)), 10));
        // stops counting past the limit
        assertEquals(4, GifFrames.count(new java.io.ByteArrayInputStream(HostileImages.animatedGif(7, 4, 4)), 3));
        // truncated in the third frame: what was counted stands
        byte[] gif = HostileImages.animatedGif(7, 4, 4);
        assertTrue(GifFrames.count(new java.io.ByteArrayInputStream(java.util.Arrays.copyOf(gif, gif.length / 3)), 10) < 7);
    }

    @ParameterizedTest(name = "{0}_{1}.jpg")
    @CsvSource({
            "Landscape, 0, 1", "Landscape, 1, 1", "Landscape, 2, 2", "Landscape, 3, 3", "Landscape, 4, 4",
            "Landscape, 5, 5", "Landscape, 6, 6", "Landscape, 7, 7", "Landscape, 8, 8",
            "Portrait, 0, 1", "Portrait, 5, 5", "Portrait, 8, 8",
    })
    void readsTheExifOrientation(String shape, int file, int orientation) {
        ImageInfo info = inspector.inspect(Images.read("fixtures/exif-orientation/" + shape + "_" + file + ".jpg"));

        assertEquals(orientation, info.orientation());
        boolean landscape = shape.equals("Landscape");
        assertEquals(landscape, info.displayWidth() > info.displayHeight());
    }

    @Test
    void refusesTooManyPixelsBeforeDecoding() {
        byte[] bomb = Images.pngHeaderOnly(20_000, 20_000);

        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> inspector.inspect(bomb));

        assertEquals(Reason.TOO_LARGE, rejected.reason());
        assertTrue(rejected.getMessage().contains("20000x20000 is 400.0 megapixels, the limit is 100.0"), rejected.getMessage());
    }

    @Test
    void aTruncatedPngIsCorrupt() throws IOException {
        byte[] png = Files.readAllBytes(PNGSUITE.resolve("basn2c08.png"));

        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> inspector.inspect(Arrays.copyOf(png, png.length / 2)));

        assertEquals(Reason.CORRUPT, rejected.reason());
        assertTrue(rejected.getMessage().contains("truncated"), rejected.getMessage());
    }

    @Test
    void aJpegWithAGarbledHeaderIsCorrupt() {
        byte[] garbled = Arrays.copyOf(Images.read("fixtures/photos/dune.jpg"), 600);
        Arrays.fill(garbled, 3, 600, (byte) 0x11);

        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> inspector.inspect(garbled));

        assertEquals(Reason.CORRUPT, rejected.reason());
    }

    @Test
    void unreadableExifKeepsTheImageAsStored() {
        byte[] jpeg = Images.read("fixtures/exif-orientation/Landscape_6.jpg").clone();
        for (int i = 20; i < 120; i++) {
            jpeg[i] = (byte) 0xEE; // inside the APP1 Exif segment
        }
        assertEquals(1, ImageInspector.orientation(ImageFormat.JPEG, jpeg));
    }

    private static byte[] external(String file) throws IOException {
        return Files.readAllBytes(Path.of("src/test/resources/external").resolve(file));
    }

    @Test
    void aGifIsItsLogicalScreenNotItsFirstFrame() throws IOException {
        // image-rs' oob.gif: a 40x40 screen, its frame smaller and placed inside it, as libvips and browsers show it
        ImageInfo info = inspector.inspect(external("image-rs/oob.gif"));

        assertEquals(40, info.width());
        assertEquals(40, info.height());
        assertTrue(info.alpha(), "what the frame leaves uncovered is transparent");
    }

    @Test
    void anAnimatedWebpCountsItsFramesAgainstTheLimit() throws IOException {
        byte[] webp = external("image-rs/anim.webp");
        ImageInfo info = inspector.inspect(webp);
        assertEquals(ImageFormat.WEBP, info.format());
        assertTrue(info.frames() > 1, "frames: " + info.frames());

        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> new ImageInspector(100_000_000L, 1).inspect(webp));
        assertEquals(Reason.TOO_LARGE, rejected.reason());
    }

    @Test
    void aTiffCompressionTheDecoderLacksIsNamed() throws IOException {
        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> inspector.inspect(external("pillow/hopper_lzma.tif")));

        assertEquals(Reason.UNSUPPORTED, rejected.reason());
        assertEquals("unsupported: TIFF compression LZMA", rejected.getMessage());
    }
}
