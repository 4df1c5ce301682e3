package dev.imageresizer.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.imageresizer.failure.Failure;
import dev.imageresizer.failure.Failure.Reason;
import dev.imageresizer.support.Images;

class ImageDecoderTest {

    private final ImageInspector inspector = new ImageInspector(100_000_000L);
    private final ImageDecoder decoder = new ImageDecoder();

    /**
     * A 3x2 image with a different colour in every pixel, and where each pixel must land for each orientation (rows of
     * the upright image, pixels named by their stored position "xy").
     */
    @ParameterizedTest(name = "orientation {0}")
    @CsvSource(delimiter = '|', value = {
            "1 | 00 10 20 / 01 11 21",
            "2 | 20 10 00 / 21 11 01",
            "3 | 21 11 01 / 20 10 00",
            "4 | 01 11 21 / 00 10 20",
            "5 | 00 01 / 10 11 / 20 21",
            "6 | 01 00 / 11 10 / 21 20",
            "7 | 21 20 / 11 10 / 01 00",
            "8 | 20 21 / 10 11 / 00 01",
    })
    void appliesEachOrientationExactly(int orientation, String expectedRows) {
        BufferedImage stored = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 3; x++) {
            for (int y = 0; y < 2; y++) {
                stored.setRGB(x, y, code(x, y));
            }
        }

        BufferedImage upright = Orientation.apply(stored, orientation);

        String[] rows = expectedRows.split(" / ");
        assertEquals(rows.length, upright.getHeight());
        for (int y = 0; y < rows.length; y++) {
            String[] pixels = rows[y].split(" ");
            assertEquals(pixels.length, upright.getWidth());
            for (int x = 0; x < pixels.length; x++) {
                int sx = pixels[x].charAt(0) - '0';
                int sy = pixels[x].charAt(1) - '0';
                assertEquals(code(sx, sy), upright.getRGB(x, y) & 0xffffff, "pixel " + x + "," + y);
            }
        }
    }

    private static int code(int x, int y) {
        return (x * 80) << 16 | (y * 120) << 8 | 7;
    }

    /**
     * Every EXIF test photo, decoded and turned upright, matches the same photo stored upright. Compared at 1/20 of the
     * size, where only the picture counts, not JPEG noise: upright gives under 1, any wrong orientation over 35.
     */
    @ParameterizedTest(name = "{0}_{1}.jpg")
    @CsvSource({
            "Landscape, 1", "Landscape, 2", "Landscape, 3", "Landscape, 4", "Landscape, 5", "Landscape, 6", "Landscape, 7", "Landscape, 8",
            "Portrait, 1", "Portrait, 2", "Portrait, 3", "Portrait, 4", "Portrait, 5", "Portrait, 6", "Portrait, 7", "Portrait, 8",
    })
    void turnsEveryExifTestPhotoUpright(String shape, int number) {
        BufferedImage reference = Images.shrink(decode("fixtures/exif-orientation/" + shape + "_0.jpg"), 20);

        BufferedImage upright = Images.shrink(decode("fixtures/exif-orientation/" + shape + "_" + number + ".jpg"), 20);

        double difference = Images.meanDifference(reference, upright);
        assertTrue(difference < 2, "mean difference " + difference);
    }

    @Test
    void aWronglyOrientedPhotoIsFarFromUpright() {
        BufferedImage reference = Images.shrink(decode("fixtures/exif-orientation/Landscape_0.jpg"), 20);
        BufferedImage mirrored = Orientation.apply(reference, 2);

        assertTrue(Images.meanDifference(reference, mirrored) > 35);
    }

    @Test
    void subsamplesWhileDecoding() {
        byte[] jpeg = Images.fixture("photos/elephants-1920.jpg");
        ImageInfo info = inspector.inspect(jpeg);

        BufferedImage image = decoder.decode(jpeg, info, 3);

        assertEquals((info.width() + 2) / 3, image.getWidth());
        assertEquals((info.height() + 2) / 3, image.getHeight());
        assertEquals(BufferedImage.TYPE_3BYTE_BGR, image.getType(), "the JPEG reader's own type is kept, not copied");
    }

    @ParameterizedTest
    @CsvSource({ "0.5, 1", "0.4, 1", "0.25, 2", "0.1, 5", "0.0999, 5", "0.01, 50", "1.0, 1", "0, 1" })
    void subsamplingKeepsTwiceTheRenditionsPixels(double largestScale, int expected) {
        assertEquals(expected, ImageDecoder.subsampling(largestScale));
    }

    @Test
    void keepsAlphaAsArgb() {
        byte[] png = Images.fixture("pngsuite/png/basn6a16.png");

        BufferedImage image = decoder.decode(png, inspector.inspect(png), 1);

        assertEquals(BufferedImage.TYPE_INT_ARGB, image.getType());
    }

    /** Raw samples at pixel (5,5), read from the files' IDAT: grey must stay that grey whatever the bit depth or alpha. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({ "basn0g08.png, 165", "basn0g16.png, 55", "basn4a08.png, 213", "f00n0g08.png, 127" })
    void greyKeepsItsStoredTones(String file, int grey) {
        byte[] png = Images.fixture("pngsuite/png/" + file);

        BufferedImage image = decoder.decode(png, inspector.inspect(png), 1);

        int rgb = image.getRGB(5, 5);
        assertEquals(grey, rgb >> 16 & 0xff);
        assertEquals(grey, rgb >> 8 & 0xff);
        assertEquals(grey, rgb & 0xff);
    }

    @Test
    void aTruncatedJpegIsCorrupt() {
        byte[] jpeg = Images.fixture("photos/dune.jpg");
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);
        ImageInfo info = inspector.inspect(truncated);

        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> decoder.decode(truncated, info, 1));

        assertEquals(Reason.CORRUPT, rejected.reason());
        assertTrue(rejected.getMessage().contains("truncated"), rejected.getMessage());
    }

    @Test
    void aDecodeOverTheTimeLimitIsAbortedAndRejected() {
        byte[] png = Images.synthetic("png", 3000, 2000, false);
        ImageInfo info = new ImageInspector(100_000_000L).inspect(png);
        ImageDecoder hurried = new ImageDecoder(Optional.empty(), Duration.ofMillis(1));

        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> hurried.decode(ImageData.of(png), info, 1));

        assertEquals(Reason.TOO_LARGE, rejected.reason());
        assertTrue(rejected.getMessage().contains("decode-timeout"), rejected.getMessage());
        // the same image within the default limit
        assertEquals(3000, new ImageDecoder().decode(ImageData.of(png), info, 1).getWidth());
    }

    @Test
    void garbageAfterAValidHeaderIsCorrupt() {
        byte[] png = Images.fixture("pngsuite/png/basn2c08.png").clone();
        ImageInfo info = inspector.inspect(png);
        // damage the compressed data but keep the chunk structure intact: the decoder must fail cleanly
        int idat = indexOf(png, "IDAT") + 4;
        Arrays.fill(png, idat + 2, idat + 40, (byte) 0xFF);

        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> decoder.decode(png, info, 1));

        assertEquals(Reason.CORRUPT, rejected.reason());
    }

    @ParameterizedTest(name = "alpha {0}")
    @CsvSource({ "false", "true" })
    void aPngInAnotherColourSpaceIsConvertedToSrgb(boolean alpha) {
        // mid grey in linear RGB is 188 in sRGB; with alpha, the alpha stays
        BufferedImage grey = new BufferedImage(8, 8, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                grey.setRGB(x, y, (alpha ? 0x80 : 0xFF) << 24 | 0x808080);
            }
        }
        byte[] png = Images.withIccProfile(Images.encode(grey, "png"),
                java.awt.color.ICC_Profile.getInstance(java.awt.color.ColorSpace.CS_LINEAR_RGB).getData());
        ImageInfo info = inspector.inspect(png);

        int pixel = decoder.decode(png, info, 1).getRGB(4, 4);

        assertEquals(188, pixel >> 8 & 0xFF, 3, "linear 128 shown as sRGB");
        assertEquals(alpha ? 0x80 : 0xFF, pixel >>> 24);
        int plain = decoder.decode(Images.encode(grey, "png"), info, 1).getRGB(4, 4);
        assertEquals(0x80, plain >> 8 & 0xFF, "without a profile, the samples are sRGB already");
    }

    /** Decoded and turned upright as the renderer does it. */
    private BufferedImage decode(String file) {
        byte[] bytes = Images.read(file);
        ImageInfo info = inspector.inspect(bytes);
        return Orientation.apply(decoder.decode(bytes, info, 1), info.orientation());
    }

    private static int indexOf(byte[] bytes, String ascii) {
        outer: for (int i = 0; i + ascii.length() <= bytes.length; i++) {
            for (int j = 0; j < ascii.length(); j++) {
                if (bytes[i + j] != ascii.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
