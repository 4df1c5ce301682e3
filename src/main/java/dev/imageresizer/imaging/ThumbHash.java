package dev.imageresizer.imaging;

import java.io.ByteArrayOutputStream;

/**
 * ThumbHash (Evan Wallace, https://evanw.github.io/thumbhash/): a placeholder of an image in about 25 bytes, which a
 * front end decodes into a blurred preview with the image's aspect ratio and colours while the real image loads. The
 * image is taken in the LPQA colour space (luminance, yellow-blue, red-green, alpha), each channel reduced to its
 * lowest DCT terms, quantised to 4 bits, after a 5-6 byte header of the constants.
 */
public final class ThumbHash {

    /** Larger images gain nothing and cost time: callers scale down to fit this box first. */
    public static final int MAX_SIZE = 100;

    private ThumbHash() {
    }

    /**
     * @param rgba row by row, 4 bytes per pixel, not premultiplied
     * @return the hash bytes (encode them as Base64 for a front end)
     */
    public static byte[] encode(int width, int height, byte[] rgba) {
        if (width < 1 || height < 1 || width > MAX_SIZE || height > MAX_SIZE || rgba.length != width * height * 4) {
            throw new IllegalArgumentException(width + "x" + height + " with " + rgba.length + " bytes");
        }
        int pixels = width * height;
        double avgR = 0, avgG = 0, avgB = 0, avgA = 0;
        for (int i = 0; i < pixels; i++) {
            double alpha = (rgba[4 * i + 3] & 0xff) / 255.0;
            avgR += alpha / 255 * (rgba[4 * i] & 0xff);
            avgG += alpha / 255 * (rgba[4 * i + 1] & 0xff);
            avgB += alpha / 255 * (rgba[4 * i + 2] & 0xff);
            avgA += alpha;
        }
        if (avgA > 0) {
            avgR /= avgA;
            avgG /= avgA;
            avgB /= avgA;
        }
        boolean hasAlpha = avgA < pixels;
        int luminanceLimit = hasAlpha ? 5 : 7; // fewer luminance terms when alpha needs the room
        int lx = Math.max(1, (int) Math.round((double) luminanceLimit * width / Math.max(width, height)));
        int ly = Math.max(1, (int) Math.round((double) luminanceLimit * height / Math.max(width, height)));
        double[] l = new double[pixels];
        double[] p = new double[pixels];
        double[] q = new double[pixels];
        double[] a = new double[pixels];
        for (int i = 0; i < pixels; i++) {
            // composited over the average colour, so transparent pixels do not drag the colours to black
            double alpha = (rgba[4 * i + 3] & 0xff) / 255.0;
            double r = avgR * (1 - alpha) + alpha / 255 * (rgba[4 * i] & 0xff);
            double g = avgG * (1 - alpha) + alpha / 255 * (rgba[4 * i + 1] & 0xff);
            double b = avgB * (1 - alpha) + alpha / 255 * (rgba[4 * i + 2] & 0xff);
            l[i] = (r + g + b) / 3;
            p[i] = (r + g) / 2 - b;
            q[i] = r - g;
            a[i] = alpha;
        }
        Channel lum = Channel.of(l, width, height, Math.max(3, lx), Math.max(3, ly));
        Channel yb = Channel.of(p, width, height, 3, 3);
        Channel rg = Channel.of(q, width, height, 3, 3);
        Channel alphaChannel = hasAlpha ? Channel.of(a, width, height, 5, 5) : null;

        boolean landscape = width > height;
        long header24 = Math.round(63 * lum.dc)
                | Math.round(31.5 + 31.5 * yb.dc) << 6
                | Math.round(31.5 + 31.5 * rg.dc) << 12
                | Math.round(31 * lum.scale) << 18
                | (hasAlpha ? 1L : 0L) << 23;
        long header16 = (landscape ? ly : lx)
                | Math.round(63 * yb.scale) << 3
                | Math.round(63 * rg.scale) << 9
                | (landscape ? 1L : 0L) << 15;
        ByteArrayOutputStream hash = new ByteArrayOutputStream(32);
        hash.write((int) (header24 & 0xff));
        hash.write((int) (header24 >> 8 & 0xff));
        hash.write((int) (header24 >> 16 & 0xff));
        hash.write((int) (header16 & 0xff));
        hash.write((int) (header16 >> 8 & 0xff));
        if (hasAlpha) {
            hash.write((int) (Math.round(15 * alphaChannel.dc) | Math.round(15 * alphaChannel.scale) << 4));
        }
        // the AC terms, two 4-bit values per byte, low nibble first
        Channel[] channels = hasAlpha ? new Channel[] { lum, yb, rg, alphaChannel } : new Channel[] { lum, yb, rg };
        int count = 0;
        for (Channel channel : channels) {
            count += channel.ac.length;
        }
        byte[] terms = new byte[(count + 1) / 2];
        int index = 0;
        for (Channel channel : channels) {
            for (double f : channel.ac) {
                terms[index >> 1] |= (byte) (Math.round(15 * f) << ((index & 1) << 2));
                index++;
            }
        }
        hash.writeBytes(terms);
        return hash.toByteArray();
    }

    /** One channel's DC term, its AC terms normalised to 0..1, and the scale they were normalised by. */
    private record Channel(double dc, double[] ac, double scale) {

        /** The DCT terms with {@code cx * ny < nx * (ny - cy)}: a triangle of the lowest frequencies. */
        static Channel of(double[] channel, int width, int height, int nx, int ny) {
            double dc = 0;
            double scale = 0;
            double[] ac = new double[nx * ny];
            int acCount = 0;
            double[] fx = new double[width];
            for (int cy = 0; cy < ny; cy++) {
                for (int cx = 0; cx * ny < nx * (ny - cy); cx++) {
                    for (int x = 0; x < width; x++) {
                        fx[x] = Math.cos(Math.PI / width * cx * (x + 0.5));
                    }
                    double f = 0;
                    for (int y = 0; y < height; y++) {
                        double fy = Math.cos(Math.PI / height * cy * (y + 0.5));
                        for (int x = 0; x < width; x++) {
                            f += channel[x + y * width] * fx[x] * fy;
                        }
                    }
                    f /= width * height;
                    if (cx > 0 || cy > 0) {
                        ac[acCount++] = f;
                        scale = Math.max(scale, Math.abs(f));
                    } else {
                        dc = f;
                    }
                }
            }
            double[] normalised = new double[acCount];
            for (int i = 0; i < acCount; i++) {
                normalised[i] = scale > 0 ? 0.5 + 0.5 / scale * ac[i] : ac[i];
            }
            return new Channel(dc, normalised, scale);
        }
    }
}
