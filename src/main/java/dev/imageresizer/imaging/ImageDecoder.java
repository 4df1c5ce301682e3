package dev.imageresizer.imaging;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferInt;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;

import dev.imageresizer.failure.Failure;
import dev.imageresizer.failure.Failure.Reason;

/**
 * Decodes an original once, at the smallest size the renditions need, as stored (turning it upright is left to the
 * much smaller renditions, see {@link Orientation}). The result is 8-bit sRGB in one of the types Java2D scales
 * quickly ({@code INT_RGB}, {@code INT_ARGB}, {@code 3BYTE_BGR}, {@code 4BYTE_ABGR}), whatever the source's bit depth,
 * palette or colour model. The readers' own types are kept as they are: converting a decoded JPEG into {@code INT_RGB}
 * would cost a second full-size image, and decoding straight into one is 70% slower in the JDK's JPEG reader.
 */
public final class ImageDecoder {

    /**
     * ImageIO decodes to at least twice the largest rendition: its subsampling keeps every n-th pixel, so the scaler then
     * averages real detail; subsampling straight to the rendition's size shows moiré on fine textures. libjpeg-turbo's
     * DCT-domain scaling is a true low-pass filter: it decodes to the largest rendition's size, no headroom needed.
     */
    private static final double HEADROOM = 2.0;

    /** 8-bit sRGB types Java2D scales with its fast loops; anything else is converted once. */
    private static final Set<Integer> DIRECT_TYPES = Set.of(BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB,
            BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR);

    /** The default of {@code resizer.limits.decode-timeout}. */
    public static final Duration DEFAULT_DECODE_TIMEOUT = Duration.ofSeconds(30);

    private final Optional<TurboJpeg> turboJpeg;
    private final Optional<Heif> heif;
    private final Duration decodeTimeout;
    /** Aborts decodes that overrun; made on first use (never in a native image's build), its thread ends when idle. */
    private volatile ScheduledThreadPoolExecutor watchdog;

    /** Decodes with ImageIO only. */
    public ImageDecoder() {
        this(Optional.empty());
    }

    /** @param turboJpeg decodes JPEGs in memory when present; ImageIO does everything else */
    public ImageDecoder(Optional<TurboJpeg> turboJpeg) {
        this(turboJpeg, DEFAULT_DECODE_TIMEOUT);
    }

    /**
     * @param turboJpeg decodes JPEGs in memory when present; ImageIO does everything else
     * @param decodeTimeout an ImageIO decode still running after this is aborted and the image rejected (libjpeg-turbo
     *        cannot be interrupted, but it decodes 100 MP in well under a second)
     */
    public ImageDecoder(Optional<TurboJpeg> turboJpeg, Duration decodeTimeout) {
        this(turboJpeg, Optional.empty(), decodeTimeout);
    }

    /**
     * @param turboJpeg decodes JPEGs in memory when present; ImageIO does everything else
     * @param heif decodes HEIC/HEIF and AVIF when present
     * @param decodeTimeout an ImageIO decode still running after this is aborted and the image rejected (libjpeg-turbo
     *        and libheif cannot be interrupted; the pixel limit bounds their work)
     */
    public ImageDecoder(Optional<TurboJpeg> turboJpeg, Optional<Heif> heif, Duration decodeTimeout) {
        this.turboJpeg = turboJpeg;
        this.heif = heif;
        this.decodeTimeout = decodeTimeout;
    }

    /**
     * Decodes an original once, scaled to what the renditions need. JPEGs in memory go to libjpeg-turbo when it is
     * installed, scaled by n/8 in the DCT domain to at least the largest rendition's size and converted to sRGB when
     * they embed another colour profile (as ImageIO's reader does); HEIC/HEIF and AVIF to libheif, upright and converted
     * to sRGB likewise, subsampled as ImageIO's are; everything else, and
     * any JPEG libjpeg-turbo cannot decode (CMYK), to ImageIO, subsampled to at least twice that size.
     *
     * @param largestScale the largest ratio of a rendition's scaled size to the original's, see {@link #largestScale}
     * @throws Failure.Rejected with {@link Reason#CORRUPT} when the decoder fails on the image, whatever the failure
     */
    public BufferedImage decode(ImageData data, ImageInfo info, double largestScale) {
        if (info.format() == ImageFormat.HEIF || info.format() == ImageFormat.AVIF) {
            // libheif decodes at full size only; every n-th pixel of it is kept, as ImageIO's subsampling does
            return heif.orElseThrow(() -> Failure.rejected(Reason.UNSUPPORTED, "unsupported image format " + info.format() + ": libheif is not installed ("
                    + Heif.INSTALL + ")")).decode(data, info.format(), subsampling(largestScale));
        }
        if (turboJpeg.isPresent() && info.format() == ImageFormat.JPEG && data instanceof ImageData.InMemory memory) {
            try {
                Optional<BufferedImage> decoded = turboJpeg.get().decode(memory.bytes(), TurboJpeg.eighths(largestScale));
                if (decoded.isPresent()) {
                    return ColorProfile.nonSrgb(memory.bytes()).map(space -> ColorProfile.toSrgb(decoded.get(), space)).orElse(decoded.get());
                }
            } catch (TurboJpeg.TruncatedJpegException e) {
                // libjpeg-turbo says "premature end" both for lost scan data and for a file that only lacks its EOI
                // marker; the JDK's decoder below tells them apart, so both codecs give the same verdict
            }
        }
        return decode(data, info, subsampling(largestScale));
    }

    /** Decodes with ImageIO, see {@link #decode(ImageData, ImageInfo, int)}. */
    public BufferedImage decode(byte[] bytes, ImageInfo info, int subsampling) {
        return decode(ImageData.of(bytes), info, subsampling);
    }

    /**
     * Decodes with ImageIO.
     *
     * @param subsampling keep every n-th pixel in each direction while decoding (1 = all), to bound memory and work for
     *        originals far larger than the renditions
     * @throws Failure.Rejected with {@link Reason#CORRUPT} when the decoder fails on the image, whatever the failure
     *         (but an {@link OutOfMemoryError}, which the limits checked before decoding make impossible)
     */
    public BufferedImage decode(ImageData data, ImageInfo info, int subsampling) {
        ImageReader reader = ImageReaders.open(info.format(), data);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage decoded;
        // 0 running, 1 done, 2 timed out: the watchdog aborts only a decode still running (readers check between rows)
        AtomicInteger state = new AtomicInteger();
        ScheduledFuture<?> alarm = watchdog().schedule(() -> {
            if (state.compareAndSet(0, 2)) {
                reader.abort();
            }
        }, decodeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            ImageReadParam param = reader.getDefaultReadParam();
            if (subsampling > 1) {
                param.setSourceSubsampling(subsampling, subsampling, 0, 0);
            }
            decoded = reader.read(0, param);
            if (info.format() == ImageFormat.GIF) {
                decoded = GifCanvas.place(reader, decoded, info, subsampling);
            }
            if (!state.compareAndSet(0, 1)) {
                throw Failure.rejected(Reason.TOO_LARGE, String.format("image too large: decoding %dx%d %s took longer than %d ms (resizer.limits.decode-timeout)",
                        info.width(), info.height(), info.format(), decodeTimeout.toMillis()));
            }
        } catch (Failure.Rejected e) {
            throw e;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            // a reader's failure on one image, whatever its kind, is that image's problem
            throw DecoderFailure.of(info.format().toString(), null, e);
        } finally {
            alarm.cancel(false); // and dropped from the queue: it holds the reader
            ImageReaders.close(reader);
        }
        for (String warning : warnings) {
            // libjpeg's "premature end of data segment": scan data is missing and would come out grey (a missing EOI
            // alone, "premature end of JPEG file", is harmless), as in TurboJpeg
            if (warning.toLowerCase(java.util.Locale.ROOT).contains("premature end of data segment")) {
                throw Failure.rejected(Reason.CORRUPT, "corrupt " + info.format() + ": truncated (" + warning + ")");
            }
        }
        BufferedImage normalized = normalize(decoded);
        Optional<java.awt.color.ICC_ColorSpace> profile = info.format() == ImageFormat.PNG ? PngProfile.nonSrgb(data) : Optional.empty();
        return profile.isPresent() ? PngProfile.toSrgb(normalized, profile.get()) : normalized;
    }

    private ScheduledThreadPoolExecutor watchdog() {
        ScheduledThreadPoolExecutor result = watchdog;
        if (result == null) {
            synchronized (this) {
                if (watchdog == null) {
                    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
                        Thread thread = new Thread(task, "decode-watchdog");
                        thread.setDaemon(true);
                        return thread;
                    });
                    executor.setRemoveOnCancelPolicy(true);
                    executor.setKeepAliveTime(10, TimeUnit.SECONDS);
                    executor.allowCoreThreadTimeOut(true);
                    watchdog = executor;
                }
                result = watchdog;
            }
        }
        return result;
    }

    /** The largest ratio of a rendition's scaled size to the original's size, in either direction. */
    public static double largestScale(ImageInfo info, List<Target> targets) {
        return targets.stream()
                .mapToDouble(t -> Math.max((double) t.frame().scaledWidth() / info.displayWidth(),
                        (double) t.frame().scaledHeight() / info.displayHeight()))
                .max().orElse(1.0);
    }

    /**
     * The subsampling that still leaves at least twice the pixels of the largest rendition in each direction, so the
     * scaler always has real detail to average; 1 when the renditions are close to the original's size.
     *
     * @param largestScale the largest ratio of a rendition's scaled size to the original's size
     */
    public static int subsampling(double largestScale) {
        return largestScale <= 0 ? 1 : Math.max(1, (int) Math.floor(1.0 / (HEADROOM * largestScale)));
    }

    private static BufferedImage normalize(BufferedImage image) {
        if (DIRECT_TYPES.contains(image.getType())) {
            return image;
        }
        int type = image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        if (image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(image.getColorModel() instanceof IndexColorModel)) {
            return fromGrey(image, type);
        }
        BufferedImage converted = new BufferedImage(image.getWidth(), image.getHeight(), type);
        Graphics2D g = converted.createGraphics();
        try {
            g.setComposite(AlphaComposite.Src);
            g.drawImage(image, 0, 0, null);
        } finally {
            g.dispose();
        }
        return converted;
    }

    /**
     * Grey samples become equal RGB samples, as browsers show grey images. AWT would instead treat them as linear grey
     * and convert: 8-bit grey, 16-bit grey and grey with alpha each came out with different tones. Integer samples of
     * up to 16 bits are scaled from their full range; 32-bit and floating-point samples from 0..1 (TIFF's convention
     * for floats), or from 0 to their largest value where they go beyond 1.
     */
    private static BufferedImage fromGrey(BufferedImage image, int type) {
        Raster raster = image.getRaster();
        ColorModel model = image.getColorModel();
        int width = image.getWidth();
        int height = image.getHeight();
        boolean alpha = type == BufferedImage.TYPE_INT_ARGB;
        int alphaBand = raster.getNumBands() - 1;
        int dataType = raster.getTransferType();
        boolean floating = dataType == DataBuffer.TYPE_FLOAT || dataType == DataBuffer.TYPE_DOUBLE;
        // 32-bit integer grey mostly holds 16-bit or smaller values (scientific and scanner software): scaled from its
        // largest value, as floating-point grey is, else it would be black
        double greyMax = floating || dataType == DataBuffer.TYPE_INT ? floatRange(raster, dataType == DataBuffer.TYPE_INT) : range(model.getComponentSize(0));
        double alphaMax = floating ? 1.0 : alpha ? range(model.getComponentSize(model.getNumComponents() - 1)) : 1.0;
        boolean unsigned = dataType == DataBuffer.TYPE_INT; // 32-bit samples read back as Java's signed int
        BufferedImage rgb = new BufferedImage(width, height, type);
        int[] out = ((DataBufferInt) rgb.getRaster().getDataBuffer()).getData();
        double[] grey = new double[width];
        double[] opacity = new double[width];
        for (int y = 0; y < height; y++) {
            raster.getSamples(0, y, width, 1, 0, grey);
            if (alpha) {
                raster.getSamples(0, y, width, 1, alphaBand, opacity);
            }
            for (int x = 0; x < width; x++) {
                int g = toByte(unsigned && grey[x] < 0 ? grey[x] + 0x1p32 : grey[x], greyMax);
                int a = alpha ? toByte(unsigned && opacity[x] < 0 ? opacity[x] + 0x1p32 : opacity[x], alphaMax) : 0;
                out[y * width + x] = a << 24 | g << 16 | g << 8 | g;
            }
        }
        return rgb;
    }

    /** The largest value of an integer sample of {@code bits} bits. */
    private static double range(int bits) {
        return Math.pow(2, Math.min(Math.max(bits, 1), 32)) - 1;
    }

    /** 1 for samples within 0..1, else the largest sample (floating-point and 32-bit grey have no fixed range). */
    private static double floatRange(Raster raster, boolean unsigned) {
        double max = 1.0;
        double[] row = new double[raster.getWidth()];
        for (int y = 0; y < raster.getHeight(); y++) {
            raster.getSamples(0, y, row.length, 1, 0, row);
            for (double v : row) {
                v = unsigned && v < 0 ? v + 0x1p32 : v;
                if (v > max && Double.isFinite(v)) {
                    max = v;
                }
            }
        }
        return max;
    }

    private static int toByte(double sample, double max) {
        double v = Math.rint(sample * 255.0 / max);
        return Double.isNaN(v) ? 0 : (int) Math.max(0, Math.min(255, v));
    }
}
