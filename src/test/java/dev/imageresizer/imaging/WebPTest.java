package dev.imageresizer.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.sksamuel.scrimage.ImmutableImage;
import com.sksamuel.scrimage.nio.JpegWriter;

import dev.imageresizer.config.ResizerConfig.Lossless;
import dev.imageresizer.support.Images;

/** Encodes with libwebp and decodes back with ImageIO. */
class WebPTest {

    /** 640x427: the size of the default small rendition. */
    private static final BufferedImage PHOTO = Images.shrink(Images.decode(Images.fixture("photos/elephants-1920.jpg")), 3);

    private static BufferedImage photo() {
        return PHOTO;
    }

    @Test
    void lossyAtQuality85LooksLikeItsSource() {
        BufferedImage source = photo();

        byte[] webp = WebP.encode(source, 85, Lossless.FALSE);

        assertEquals(ImageFormat.WEBP, ImageFormat.sniff(webp));
        assertEquals("VP8 ", chunk(webp)); // lossy, no extended header: the image has no alpha
        BufferedImage back = Images.decode(webp);
        assertEquals(source.getWidth(), back.getWidth());
        assertEquals(source.getHeight(), back.getHeight());
        double psnr = Images.psnr(source, back);
        assertTrue(psnr > 32, "PSNR " + psnr);
    }

    @Test
    void qualityTradesBytesForFidelity() {
        BufferedImage source = photo();

        byte[] low = WebP.encode(source, 40, Lossless.FALSE);
        byte[] high = WebP.encode(source, 95, Lossless.FALSE);

        assertTrue(low.length * 2 < high.length, low.length + " vs " + high.length + " bytes");
        assertTrue(Images.psnr(source, Images.decode(low)) + 3 < Images.psnr(source, Images.decode(high)));
    }

    @Test
    void smallerThanAJpegOfTheSameQuality() throws IOException {
        BufferedImage source = photo();

        byte[] webp = WebP.encode(source, 85, Lossless.FALSE);
        byte[] jpeg = ImmutableImage.wrapAwt(source).bytes(new JpegWriter(85, false)); // what a JPEG rendition is without libjpeg-turbo

        assertTrue(webp.length < jpeg.length, webp.length + " bytes of WebP vs " + jpeg.length + " of JPEG");
    }

    @Test
    void losslessIsExact() {
        BufferedImage source = photo();

        byte[] webp = WebP.encode(source, 85, Lossless.TRUE);

        assertEquals("VP8L", chunk(webp));
        assertEquals(Double.POSITIVE_INFINITY, Images.psnr(source, Images.decode(webp)));
    }

    @Test
    void losslessKeepsEveryVisiblePixelAndTheAlpha() {
        BufferedImage source = Images.decode(Images.fixture("pngsuite/png/basn6a08.png")); // RGBA, alpha 0 to 255

        BufferedImage back = Images.decode(WebP.encode(source, 85, Lossless.TRUE));

        assertTrue(back.getColorModel().hasAlpha());
        assertSamePixels(source, back);
    }

    @Test
    void lossyKeepsTheAlphaChannel() {
        BufferedImage source = Images.decode(Images.fixture("pngsuite/png/basn6a08.png"));

        byte[] webp = WebP.encode(source, 85, Lossless.FALSE);

        assertEquals("VP8X", chunk(webp)); // extended: an ALPH chunk beside the lossy VP8 one
        assertTrue(new String(webp, StandardCharsets.ISO_8859_1).contains("ALPH"));
        BufferedImage back = Images.decode(webp);
        for (int y = 0; y < source.getHeight(); y++) {
            for (int x = 0; x < source.getWidth(); x++) {
                assertEquals(source.getRGB(x, y) >>> 24, back.getRGB(x, y) >>> 24, "alpha at " + x + "," + y);
            }
        }
    }

    @Test
    void losslessAlphaIsLosslessOnlyWhereAPixelIsTranslucent() {
        BufferedImage translucent = Images.decode(Images.fixture("pngsuite/png/basn6a08.png"));
        BufferedImage opaqueWithAlphaChannel = new BufferedImage(64, 48, BufferedImage.TYPE_INT_ARGB);
        opaqueWithAlphaChannel.createGraphics().drawImage(photo(), 0, 0, null);

        assertEquals("VP8L", chunk(WebP.encode(translucent, 85, Lossless.ALPHA)));
        assertEquals("VP8 ", chunk(WebP.encode(opaqueWithAlphaChannel, 85, Lossless.ALPHA)));
        assertEquals("VP8 ", chunk(WebP.encode(photo(), 85, Lossless.ALPHA)));
    }

    @Test
    void translucentMeansAPixelBelowFullOpacity() {
        BufferedImage argb = new BufferedImage(3, 2, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                argb.setRGB(x, y, 0xff102030);
            }
        }
        assertFalse(WebP.translucent(argb));
        argb.setRGB(2, 1, 0xfe102030);
        assertTrue(WebP.translucent(argb));
        assertFalse(WebP.translucent(new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB)));
        assertTrue(WebP.translucent(argb.getSubimage(1, 1, 2, 1)));
        assertFalse(WebP.translucent(argb.getSubimage(0, 0, 2, 2)));
    }

    @Test
    void layoutsTheWriterWouldMisreadAreConvertedFirst() {
        BufferedImage source = Images.decode(Images.fixture("pngsuite/png/basn6a08.png"));
        BufferedImage premultiplied = new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_INT_ARGB_PRE);
        BufferedImage grey = new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        BufferedImage bgr = new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_INT_BGR);
        premultiplied.createGraphics().drawImage(source, 0, 0, null);
        grey.createGraphics().drawImage(source, 0, 0, null);
        bgr.createGraphics().drawImage(source, 0, 0, null);

        for (BufferedImage image : new BufferedImage[] { premultiplied, grey, bgr }) {
            assertSamePixels(image, Images.decode(WebP.encode(image, 85, Lossless.TRUE)));
        }
    }

    @Test
    void aCroppedSubimageIsEncodedFromItsOwnPixels() {
        BufferedImage source = photo();
        BufferedImage crop = source.getSubimage(200, 100, 150, 150);

        BufferedImage back = Images.decode(WebP.encode(crop, 85, Lossless.TRUE));

        assertEquals(Double.POSITIVE_INFINITY, Images.psnr(crop, back));
    }

    /** Equal ARGB where a pixel is visible; where it is fully transparent only the alpha counts (its colour is not kept). */
    private static void assertSamePixels(BufferedImage expected, BufferedImage actual) {
        assertEquals(expected.getWidth(), actual.getWidth());
        assertEquals(expected.getHeight(), actual.getHeight());
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) {
                int e = expected.getRGB(x, y);
                int a = actual.getRGB(x, y);
                if (e >>> 24 == 0) {
                    assertEquals(0, a >>> 24, "alpha at " + x + "," + y);
                } else {
                    assertEquals(Integer.toHexString(e), Integer.toHexString(a), "pixel at " + x + "," + y);
                }
            }
        }
    }

    /** The first chunk of a RIFF WebP file: {@code VP8 } (lossy), {@code VP8L} (lossless) or {@code VP8X} (extended). */
    private static String chunk(byte[] webp) {
        return new String(webp, 12, 4, StandardCharsets.ISO_8859_1);
    }
}
