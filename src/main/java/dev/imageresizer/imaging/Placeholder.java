package dev.imageresizer.imaging;

import java.awt.image.BufferedImage;
import java.util.Base64;

import com.sksamuel.scrimage.ImmutableImage;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a front end shows while an image loads: a {@link ThumbHash} (Base64) and the dominant colour ({@code #rrggbb}),
 * both from the upright image scaled to fit 100x100.
 */
// serialised by Jackson as part of the manifest
@RegisterForReflection
public record Placeholder(String thumbHash, String dominantColor) {

    /**
     * @param decoded the decoded original in its stored orientation (possibly already scaled down)
     * @param orientation its EXIF orientation
     */
    public static Placeholder of(BufferedImage decoded, int orientation) {
        double factor = Math.min(1.0, (double) ThumbHash.MAX_SIZE / Math.max(decoded.getWidth(), decoded.getHeight()));
        int width = Math.max(1, (int) Math.round(decoded.getWidth() * factor));
        int height = Math.max(1, (int) Math.round(decoded.getHeight() * factor));
        BufferedImage small = Orientation.apply(Renderer.scale(ImmutableImage.wrapAwt(decoded), width, height).awt(), orientation);
        int w = small.getWidth();
        int h = small.getHeight();
        int[] argb = small.getRGB(0, 0, w, h, null, 0, w);
        byte[] rgba = new byte[w * h * 4];
        for (int i = 0; i < argb.length; i++) {
            rgba[4 * i] = (byte) (argb[i] >> 16);
            rgba[4 * i + 1] = (byte) (argb[i] >> 8);
            rgba[4 * i + 2] = (byte) argb[i];
            rgba[4 * i + 3] = (byte) (argb[i] >>> 24);
        }
        return new Placeholder(Base64.getEncoder().encodeToString(ThumbHash.encode(w, h, rgba)), dominantColor(argb));
    }

    /**
     * The mean of the most populated cell when colours are grouped 16 levels per channel (4096 cells), over pixels at
     * least half opaque: the colour most of the image is, not the muddy average of all of it.
     */
    static String dominantColor(int[] argb) {
        int[] count = new int[4096];
        long[][] sum = new long[4096][3];
        for (int pixel : argb) {
            if ((pixel >>> 24) < 128) {
                continue;
            }
            int r = pixel >> 16 & 0xff;
            int g = pixel >> 8 & 0xff;
            int b = pixel & 0xff;
            int cell = (r >> 4) << 8 | (g >> 4) << 4 | b >> 4;
            count[cell]++;
            sum[cell][0] += r;
            sum[cell][1] += g;
            sum[cell][2] += b;
        }
        int best = 0;
        for (int cell = 1; cell < count.length; cell++) {
            if (count[cell] > count[best]) {
                best = cell;
            }
        }
        if (count[best] == 0) {
            return "#000000"; // fully transparent
        }
        long n = count[best];
        return String.format("#%02x%02x%02x", (sum[best][0] + n / 2) / n, (sum[best][1] + n / 2) / n, (sum[best][2] + n / 2) / n);
    }
}
