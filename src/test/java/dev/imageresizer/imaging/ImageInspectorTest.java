package dev.imageresizer.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.imageresizer.pipeline.Failure;
import dev.imageresizer.pipeline.Failure.Reason;
import dev.imageresizer.support.Images;

class ImageInspectorTest {

    private static final Path PNGSUITE = Images.SHARED.resolve("conformance/pngsuite/png");

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
            "corpus/s_Dune.jpg, JPEG, false",
            "corpus/f_Storm.tif, TIFF, false",
            "corpus/f_Dune_gray8.bmp, BMP, false",
            "corpus/s_astronaut.png, PNG, false",
            "conformance/pngsuite/png/basn6a08.png, PNG, true",
            "conformance/pngsuite/png/tbrn2c08.png, PNG, true",
            "conformance/pngsuite/png/basn3p08.png, PNG, false",
    })
    void readsFormatAndAlphaWithoutDecoding(String file, ImageFormat format, boolean alpha) {
        ImageInfo info = inspector.inspect(Images.shared(file));

        assertEquals(format, info.format());
        assertEquals(alpha, info.alpha());
    }

    @Test
    void readsGifTransparency() {
        ImageInfo info = inspector.inspect(Images.synthetic("gif", 40, 30, true));

        assertEquals(new ImageInfo(ImageFormat.GIF, 40, 30, 1, true), info);
    }

    @ParameterizedTest(name = "{0}_{1}.jpg")
    @CsvSource({
            "Landscape, 0, 1", "Landscape, 1, 1", "Landscape, 2, 2", "Landscape, 3, 3", "Landscape, 4, 4",
            "Landscape, 5, 5", "Landscape, 6, 6", "Landscape, 7, 7", "Landscape, 8, 8",
            "Portrait, 0, 1", "Portrait, 5, 5", "Portrait, 8, 8",
    })
    void readsTheExifOrientation(String shape, int file, int orientation) {
        ImageInfo info = inspector.inspect(Images.shared("conformance/exif-orientation/" + shape + "_" + file + ".jpg"));

        assertEquals(orientation, info.orientation());
        boolean landscape = shape.equals("Landscape");
        assertEquals(landscape, info.displayWidth() > info.displayHeight());
    }

    @Test
    void refusesTooManyPixelsBeforeDecoding() {
        byte[] bomb = pngHeaderOnly(20_000, 20_000);

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
        byte[] garbled = Arrays.copyOf(Images.shared("corpus/s_Dune.jpg"), 600);
        Arrays.fill(garbled, 3, 600, (byte) 0x11);

        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> inspector.inspect(garbled));

        assertEquals(Reason.CORRUPT, rejected.reason());
    }

    @Test
    void unreadableExifKeepsTheImageAsStored() {
        byte[] jpeg = Images.shared("conformance/exif-orientation/Landscape_6.jpg").clone();
        for (int i = 20; i < 120; i++) {
            jpeg[i] = (byte) 0xEE; // inside the APP1 Exif segment
        }
        assertEquals(1, ImageInspector.orientation(ImageFormat.JPEG, jpeg));
    }

    /** A PNG whose header claims {@code width x height} (valid chunks and CRCs) with almost no image data. */
    static byte[] pngHeaderOnly(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A });
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, width);
        putInt(ihdr, 4, height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 0; // grey
        chunk(out, "IHDR", ihdr);
        chunk(out, "IDAT", new byte[] { 0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01 });
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] length = new byte[4];
        putInt(length, 0, data.length);
        out.writeBytes(length);
        byte[] typeAndData = new byte[4 + data.length];
        System.arraycopy(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, typeAndData, 0, 4);
        System.arraycopy(data, 0, typeAndData, 4, data.length);
        out.writeBytes(typeAndData);
        CRC32 crc = new CRC32();
        crc.update(typeAndData);
        byte[] crcBytes = new byte[4];
        putInt(crcBytes, 0, (int) crc.getValue());
        out.writeBytes(crcBytes);
    }

    private static void putInt(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }
}
