package dev.imageresizer.imaging;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.util.Arrays;

/**
 * A separable Lanczos3 resampler for opaque 8-bit images, written so HotSpot vectorises its two multiply-add passes.
 * C2 vectorises {@code sum[i] += row[i] * w} only over whole float arrays (not at an offset into a larger one, not
 * from bytes), so every pass works on arrays of their own:
 * <ol>
 * <li><b>columns</b>: each source row, converted to floats once, is added into each output row it contributes to;</li>
 * <li>the output rows are scattered into per-column arrays (the transposition);</li>
 * <li><b>rows</b>: the same multiply-add over those columns, then written into the result's BGR bytes.</li>
 * </ol>
 * All of it one band of 64 output rows at a time, so the working memory is a few megabytes even for a 10000-pixel-wide
 * source.
 * For reductions the kernel widens with the ratio, so every source pixel contributes (no aliasing). On a 1440x960 to
 * 1280x853 step it costs about what Java2D's bilinear step does, without its blur.
 */
final class Lanczos {

    private static final int LOBES = 3;
    /** Output rows resampled at a time: the working memory is about 30 floats per source column. */
    private static final int BAND = 64;
    /** Output columns written back at a time, so each write fills consecutive memory. */
    private static final int TILE = 16;

    private Lanczos() {
    }

    /** Whether {@link #scale} takes this image: opaque {@code 3BYTE_BGR} or {@code INT_RGB}. */
    static boolean supports(BufferedImage image) {
        return image.getType() == BufferedImage.TYPE_3BYTE_BGR || image.getType() == BufferedImage.TYPE_INT_RGB;
    }

    /**
     * Scales to {@code width} x {@code height}.
     *
     * @param source an opaque {@code 3BYTE_BGR} or {@code INT_RGB} image, see {@link #supports}
     * @return a new {@code 3BYTE_BGR} image
     */
    static BufferedImage scale(BufferedImage source, int width, int height) {
        if (!supports(source)) {
            throw new IllegalArgumentException("Lanczos takes opaque 3BYTE_BGR or INT_RGB images, not type " + source.getType());
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
        }
        int sourceWidth = source.getWidth();
        Weights vertical = Weights.of(source.getHeight(), height);
        Weights horizontal = Weights.of(sourceWidth, width);
        Rows rows = new Rows(source, vertical.taps());
        BufferedImage result = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] out = ((DataBufferByte) result.getRaster().getDataBuffer()).getData();
        int stride = width * 3;
        // one band of output rows at a time, so memory stays a few megabytes whatever the size
        float[][] band = new float[BAND][sourceWidth * 3];
        // columns[x]: the band's vertically resampled column x of the source, 3 floats (B, G, R) per output row
        float[][] columns = new float[sourceWidth][BAND * 3];
        float[][] done = new float[TILE][BAND * 3];
        for (int y0 = 0; y0 < height; y0 += BAND) {
            int bandRows = Math.min(BAND, height - y0);
            for (int r = 0; r < bandRows; r++) {
                accumulate(band[r], rows, vertical, y0 + r, null);
            }
            transpose(band, bandRows, columns, sourceWidth);
            for (int x0 = 0; x0 < width; x0 += TILE) {
                int tileColumns = Math.min(TILE, width - x0);
                for (int c = 0; c < tileColumns; c++) {
                    accumulate(done[c], null, horizontal, x0 + c, columns);
                }
                writeBack(done, tileColumns, bandRows, out, y0 * stride + 3 * x0, stride);
            }
        }
        return result;
    }

    // The loops live in small methods called many times, so the JIT compiles them whole (and vectorises them) early,
    // even in a fresh JVM whose first image is a large one, rather than replacing one long-running loop on the stack.

    /** One output position: the weighted sum of its source rows (from {@code rows}) or columns (from {@code columns}). */
    private static void accumulate(float[] sum, Rows rows, Weights weights, int position, float[][] columns) {
        Arrays.fill(sum, 0f);
        int first = weights.first[position];
        for (int t = 0, n = weights.count[position]; t < n; t++) {
            addScaled(sum, rows != null ? rows.get(first + t) : columns[first + t], weights.weight(position, t));
        }
    }

    /** The band's rows into per-column arrays: each column gets the band's values consecutively. */
    private static void transpose(float[][] band, int bandRows, float[][] columns, int sourceWidth) {
        for (int x = 0; x < sourceWidth; x++) {
            float[] column = columns[x];
            for (int r = 0, to = 0; r < bandRows; r++, to += 3) {
                float[] sum = band[r];
                column[to] = sum[3 * x];
                column[to + 1] = sum[3 * x + 1];
                column[to + 2] = sum[3 * x + 2];
            }
        }
    }

    /** A tile of finished columns into the result's bytes: each output row gets {@code tileColumns * 3} consecutive bytes. */
    private static void writeBack(float[][] done, int tileColumns, int bandRows, byte[] out, int start, int stride) {
        for (int r = 0; r < bandRows; r++) {
            for (int c = 0, at = start + r * stride; c < tileColumns; c++, at += 3) {
                float[] column = done[c];
                out[at] = clamp(column[3 * r]);
                out[at + 1] = clamp(column[3 * r + 1]);
                out[at + 2] = clamp(column[3 * r + 2]);
            }
        }
    }

    /** {@code sum += row * weight}, element by element: the loop C2 turns into vector instructions. */
    private static void addScaled(float[] sum, float[] row, float weight) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += row[i] * weight;
        }
    }

    private static byte clamp(float v) {
        int rounded = (int) (v + 0.5f);
        return (byte) (rounded < 0 ? 0 : rounded > 255 ? 255 : rounded);
    }

    /**
     * Source rows as B, G, R floats, each converted once when first needed; only the rows a window of output rows
     * reads are kept (a ring as large as the kernel).
     */
    private static final class Rows {
        private final BufferedImage source;
        private final int width;
        private final float[][] ring;
        private final int[] held;

        /** @param window the most rows one output row reads */
        Rows(BufferedImage source, int window) {
            this.source = source;
            this.width = source.getWidth();
            this.ring = new float[Math.min(window, source.getHeight())][width * 3];
            this.held = new int[ring.length];
            Arrays.fill(held, -1);
        }

        float[] get(int y) {
            int slot = y % ring.length;
            if (held[slot] != y) {
                convert(y, ring[slot]);
                held[slot] = y;
            }
            return ring[slot];
        }

        private void convert(int y, float[] row) {
            if (source.getType() == BufferedImage.TYPE_3BYTE_BGR) {
                byte[] bgr = ((DataBufferByte) source.getRaster().getDataBuffer()).getData();
                for (int i = 0, at = y * width * 3; i < row.length; i++) {
                    row[i] = bgr[at + i] & 0xFF;
                }
            } else {
                int[] rgb = ((DataBufferInt) source.getRaster().getDataBuffer()).getData();
                for (int x = 0, at = y * width; x < width; x++) {
                    int p = rgb[at + x];
                    row[3 * x] = p & 0xFF;
                    row[3 * x + 1] = p >> 8 & 0xFF;
                    row[3 * x + 2] = p >> 16 & 0xFF;
                }
            }
        }
    }

    /** For each output position: the first source position and the weights of its taps, summing to 1. */
    private record Weights(int[] first, int[] count, float[] values, int taps) {

        float weight(int position, int tap) {
            return values[position * taps + tap];
        }

        /** Taps per output position when {@code in} becomes {@code out}: the kernel's width in source pixels, plus one. */
        static int taps(int in, int out) {
            return (int) Math.ceil(2 * LOBES * Math.max(1.0, (double) in / out)) + 1;
        }

        static Weights of(int in, int out) {
            double ratio = (double) in / out;
            double stretch = Math.max(1.0, ratio);
            double support = LOBES * stretch;
            int taps = taps(in, out);
            int[] first = new int[out];
            int[] count = new int[out];
            float[] values = new float[out * taps];
            double[] raw = new double[taps];
            for (int o = 0; o < out; o++) {
                double centre = (o + 0.5) * ratio;
                int lo = Math.max(0, (int) Math.floor(centre - support));
                int hi = Math.min(in, (int) Math.ceil(centre + support));
                int n = Math.min(hi - lo, taps);
                double total = 0;
                for (int t = 0; t < n; t++) {
                    raw[t] = kernel((lo + t + 0.5 - centre) / stretch);
                    total += raw[t];
                }
                for (int t = 0; t < n; t++) {
                    values[o * taps + t] = (float) (raw[t] / total);
                }
                first[o] = lo;
                count[o] = n;
            }
            return new Weights(first, count, values, taps);
        }

        private static double kernel(double x) {
            if (Math.abs(x) >= LOBES) {
                return 0;
            }
            return sinc(x) * sinc(x / LOBES);
        }

        private static double sinc(double x) {
            if (x == 0) {
                return 1;
            }
            double px = Math.PI * x;
            return Math.sin(px) / px;
        }
    }
}
