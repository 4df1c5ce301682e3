package dev.imageresizer.imaging;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

import javax.imageio.IIOImage;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import com.luciad.imageio.webp.WebPImageWriterSpi;

import dev.imageresizer.config.ResizerConfig.Lossless;

/**
 * WebP renditions, encoded by libwebp through the ImageIO writer of {@code com.github.usefulness:webp-imageio}, whose
 * jar bundles libwebp for Linux x86_64 and aarch64 (and macOS and Windows) and loads it on first use. Lossy at the
 * rendition's quality, or lossless; alpha is kept either way. Stills only: the writer encodes one frame, so there is no
 * animated WebP. {@link #unavailable()} is the startup probe: a configuration with a {@code webp} rendition is refused
 * where the library does not load, never quietly served in another format.
 *
 * <p>
 * Thread-safe: every call makes its own writer.
 */
public final class WebP {

    /** The writer's provider; its writers are made directly, so no other WebP writer ImageIO may know is ever used. */
    private static final WebPImageWriterSpi WRITERS = new WebPImageWriterSpi();

    private WebP() {
    }

    /**
     * @param image a rendition, upright, sRGB
     * @param quality 1 to 100, for lossy encoding (libwebp's own scale, like {@code cwebp -q})
     * @param lossless {@code ALPHA}: lossless when a pixel is not fully opaque
     * @return the WebP file
     */
    public static byte[] encode(BufferedImage image, int quality, Lossless lossless) {
        boolean exact = lossless == Lossless.TRUE || (lossless == Lossless.ALPHA && translucent(image));
        ImageWriter writer = WRITERS.createWriterInstance(null);
        try {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            if (exact) {
                // quality is libwebp's effort here; its default, as cwebp -lossless, keeps the cost near a lossy encode's
                param.setCompressionType("Lossless");
            } else {
                param.setCompressionType("Lossy");
                param.setCompressionQuality(quality / 100f);
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(stream);
                writer.write(null, new IIOImage(layout(image), null, null), param);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("encoding WebP in memory failed", e);
        } finally {
            writer.dispose();
        }
    }

    /** Whether a pixel of the image is not fully opaque. */
    static boolean translucent(BufferedImage image) {
        Raster alpha = image.getAlphaRaster();
        if (alpha == null) {
            return false;
        }
        int max = (1 << image.getColorModel().getComponentSize(image.getColorModel().getNumComponents() - 1)) - 1;
        int[] row = new int[alpha.getWidth()];
        for (int y = 0; y < alpha.getHeight(); y++) {
            alpha.getSamples(alpha.getMinX(), alpha.getMinY() + y, alpha.getWidth(), 1, 0, row);
            for (int a : row) {
                if (a != max) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The image in a layout the writer reads its samples from correctly: 8-bit RGB or non-premultiplied RGBA, packed
     * or interleaved, in a buffer of its own. Others it would misread (premultiplied alpha, grey, palettes as if they
     * were RGB; a cropped view of a larger image from the start of the larger one's buffer), so they are copied first.
     */
    static BufferedImage layout(BufferedImage image) {
        int type = image.getType();
        boolean readable = type == BufferedImage.TYPE_INT_RGB || type == BufferedImage.TYPE_INT_ARGB
                || type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_4BYTE_ABGR;
        WritableRaster raster = image.getRaster();
        boolean ownBuffer = raster.getParent() == null && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0;
        if (readable && ownBuffer) {
            return image;
        }
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(),
                image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        int[] row = new int[image.getWidth()];
        for (int y = 0; y < image.getHeight(); y++) {
            image.getRGB(0, y, row.length, 1, row, 0, row.length);
            copy.setRGB(0, y, row.length, 1, row, 0, row.length);
        }
        return copy;
    }

    /**
     * Loads libwebp and encodes a small image with it, once; the outcome is kept.
     *
     * @return why WebP cannot be written here, or empty when it can
     */
    public static Optional<String> unavailable() {
        if (System.getProperty("org.graalvm.nativeimage.imagecode") != null) {
            // asked at run time, so a result computed while building the executable never stands in for it
            return Optional.of("the native executable carries no JNI configuration for webp-imageio's libwebp (docs/native.md)");
        }
        return Probe.RESULT;
    }

    private static final class Probe {

        static final Optional<String> RESULT = run();

        private static Optional<String> run() {
            String platform = System.getProperty("os.name") + " " + System.getProperty("os.arch");
            try {
                BufferedImage image = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
                image.setRGB(0, 0, 0x80ff0000);
                byte[] webp = encode(image, 50, Lossless.FALSE);
                if (webp.length < 12 || ImageFormat.sniff(webp) != ImageFormat.WEBP) {
                    return Optional.of("libwebp wrote no WebP file on " + platform);
                }
                return Optional.empty();
            } catch (LinkageError | RuntimeException e) {
                return Optional.of("libwebp (bundled in webp-imageio for Linux x86_64 and aarch64) did not load on " + platform + ": " + e);
            }
        }
    }
}
