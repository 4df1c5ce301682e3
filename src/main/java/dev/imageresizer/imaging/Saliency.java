package dev.imageresizer.imaging;

import java.awt.image.BufferedImage;
import java.util.Arrays;

import dev.imageresizer.imaging.CropWindow.Box;

/**
 * The two content-aware crop strategies, on the image already scaled to cover the box, so a decision costs
 * milliseconds whatever the original's size. Both look at block averages of that image (a grid), keep the window
 * inside it, and prefer the centred window where windows score the same (a flat image is cut as
 * {@link CropWindow#centre} cuts it).
 * <ul>
 * <li><b>attention</b>, in the spirit of libvips' smartcrop attention strategy, on a grid of at most
 * {@value #ATTENTION_GRID} cells on the longer side: each cell scores its edges (the absolute Laplacian of its CIE
 * luminance, times 5), how near its colour's direction in CIE XYZ is to skin tones' (100 for skin, falling with the
 * distance) and its redness (CIELAB a*), the last two only where it is not dark; weighted by its opacity. The map is
 * blurred (sigma a tenth of the window's diagonal) and the window with the largest sum wins. libvips centres the
 * window on the blurred map's single highest cell instead; the sum keeps a large subject whole and agreed better with
 * libvips' own choice on the corpus (docs/renditions.md).</li>
 * <li><b>entropy</b>, on a grid of at most {@value #GRID} cells: the window whose luminance histogram (256 levels) has
 * the highest Shannon entropy, i.e. the most varied tones. Candidates are every grid position along an axis with up to
 * 64 of them, evenly spaced otherwise (libvips trims the lower-entropy edge step by step instead).</li>
 * </ul>
 */
final class Saliency {

    /** The longest side of the grid entropy looks at. */
    static final int GRID = 256;

    /** The longest side of the grid attention scores: the resolution libvips scores its own map at. */
    static final int ATTENTION_GRID = 32;

    /** The direction of skin tones in CIE XYZ (unit length): smartcrop.js's, which libvips uses. */
    private static final double[] SKIN = { 0.78, 0.57, 0.44 };

    /** Luminance (0 to 100) at or below which a cell scores no colour. */
    private static final double DARK = 5;

    private static final double EDGE_WEIGHT = 5;

    private static final double[] LINEAR = new double[256];

    static {
        for (int i = 0; i < 256; i++) {
            double c = i / 255.0;
            LINEAR[i] = c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
        }
    }

    private Saliency() {
    }

    /** The window where edges, skin tones and saturated colours are. */
    static Box attention(BufferedImage image, int width, int height) {
        Grid grid = Grid.of(image, ATTENTION_GRID);
        int n = grid.width * grid.height;
        double[] luminance = new double[n];
        double[] score = new double[n];
        for (int i = 0; i < n; i++) {
            double r = linear(grid.red[i]);
            double g = linear(grid.green[i]);
            double b = linear(grid.blue[i]);
            double x = 100 * (0.4124 * r + 0.3576 * g + 0.1805 * b);
            double y = 100 * (0.2126 * r + 0.7152 * g + 0.0722 * b);
            double z = 100 * (0.0193 * r + 0.1192 * g + 0.9505 * b);
            luminance[i] = y;
            if (y > DARK) {
                double norm = Math.sqrt(x * x + y * y + z * z);
                double distance = Math.sqrt(square(x / norm - SKIN[0]) + square(y / norm - SKIN[1]) + square(z / norm - SKIN[2]));
                double redness = lab(grid.red[i], grid.green[i], grid.blue[i])[1];
                score[i] = 100 - 100 * distance + redness;
            }
        }
        for (int y = 0; y < grid.height; y++) {
            for (int x = 0; x < grid.width; x++) {
                double laplacian = 4 * at(luminance, grid, x, y) - at(luminance, grid, x - 1, y) - at(luminance, grid, x + 1, y)
                        - at(luminance, grid, x, y - 1) - at(luminance, grid, x, y + 1);
                int i = y * grid.width + x;
                score[i] = (score[i] + EDGE_WEIGHT * Math.abs(laplacian)) * grid.opacity[i];
            }
        }
        int windowWidth = grid.window(width, grid.width);
        int windowHeight = grid.window(height, grid.height);
        double sigma = Math.max(1, Math.hypot(windowWidth, windowHeight) / 10);
        double[] table = summedArea(blur(score, grid.width, grid.height, sigma), grid.width, grid.height);
        Search search = new Search(grid, windowWidth, windowHeight);
        for (int y = 0; y <= grid.height - windowHeight; y++) {
            for (int x = 0; x <= grid.width - windowWidth; x++) {
                search.consider(x, y, windowSum(table, grid.width + 1, x, y, windowWidth, windowHeight));
            }
        }
        return search.best(image.getWidth(), image.getHeight(), width, height);
    }

    private static double square(double value) {
        return value * value;
    }

    /** The window with the most varied luminance. */
    static Box entropy(BufferedImage image, int width, int height) {
        Grid grid = Grid.of(image, GRID);
        int n = grid.width * grid.height;
        int[] luma = new int[n];
        for (int i = 0; i < n; i++) {
            luma[i] = (int) Math.round(0.299 * grid.red[i] + 0.587 * grid.green[i] + 0.114 * grid.blue[i]);
        }
        int windowWidth = grid.window(width, grid.width);
        int windowHeight = grid.window(height, grid.height);
        int slackX = grid.width - windowWidth;
        int slackY = grid.height - windowHeight;
        int positions = slackX > 0 && slackY > 0 ? 8 : 64;
        Search search = new Search(grid, windowWidth, windowHeight);
        int[] histogram = new int[256];
        for (int y : positions(slackY, positions)) {
            for (int x : positions(slackX, positions)) {
                Arrays.fill(histogram, 0);
                for (int row = y; row < y + windowHeight; row++) {
                    for (int i = row * grid.width + x, end = i + windowWidth; i < end; i++) {
                        histogram[luma[i]]++;
                    }
                }
                search.consider(x, y, entropy(histogram, windowWidth * windowHeight));
            }
        }
        return search.best(image.getWidth(), image.getHeight(), width, height);
    }

    private static int[] positions(int slack, int count) {
        if (slack <= count) {
            int[] all = new int[slack + 1];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int[] spaced = new int[count + 1];
        Arrays.setAll(spaced, i -> (int) Math.round((double) i * slack / count));
        return spaced;
    }

    private static double entropy(int[] histogram, int total) {
        double entropy = 0;
        for (int count : histogram) {
            if (count > 0) {
                double p = (double) count / total;
                entropy -= p * Math.log(p);
            }
        }
        return entropy / Math.log(2);
    }

    /** The best-scoring window, ties (within a relative 1e-9) going to the one nearest the centre. */
    private static final class Search {
        private final Grid grid;
        private final int windowWidth;
        private final int windowHeight;
        private final double centreX;
        private final double centreY;
        private double bestScore = Double.NEGATIVE_INFINITY;
        private double bestDistance;
        private int bestX;
        private int bestY;

        Search(Grid grid, int windowWidth, int windowHeight) {
            this.grid = grid;
            this.windowWidth = windowWidth;
            this.windowHeight = windowHeight;
            this.centreX = (grid.width - windowWidth) / 2.0;
            this.centreY = (grid.height - windowHeight) / 2.0;
        }

        void consider(int x, int y, double score) {
            double distance = Math.hypot(x - centreX, y - centreY);
            if (bestScore == Double.NEGATIVE_INFINITY) {
                bestScore = score;
                bestDistance = distance;
                bestX = x;
                bestY = y;
                return;
            }
            double tolerance = 1e-9 * Math.max(Math.abs(score), Math.abs(bestScore));
            if (score > bestScore + tolerance || (score >= bestScore - tolerance && distance < bestDistance)) {
                bestScore = Math.max(score, bestScore);
                bestDistance = distance;
                bestX = x;
                bestY = y;
            }
        }

        /**
         * The chosen window in the image's pixels: moved from the centre as far as the grid's window is from the grid's
         * centre (the most central grid window, half a cell off or not, is the centred one), kept inside.
         */
        Box best(int imageWidth, int imageHeight, int width, int height) {
            double offsetX = Math.abs(bestX - centreX) <= 0.5 ? 0 : (bestX - centreX) * imageWidth / grid.width;
            double offsetY = Math.abs(bestY - centreY) <= 0.5 ? 0 : (bestY - centreY) * imageHeight / grid.height;
            return CropWindow.around(imageWidth, imageHeight, width, height, imageWidth / 2.0 + offsetX, imageHeight / 2.0 + offsetY);
        }
    }

    private static double at(double[] values, Grid grid, int x, int y) {
        int cx = Math.max(0, Math.min(grid.width - 1, x));
        int cy = Math.max(0, Math.min(grid.height - 1, y));
        return values[cy * grid.width + cx];
    }

    /** sRGB (0 to 255 each) to CIELAB under D65: L* 0 to 100, a*, b*. */
    static double[] lab(double red, double green, double blue) {
        double r = linear(red);
        double g = linear(green);
        double b = linear(blue);
        double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
        double y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        double z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        double fx = labF(x);
        double fy = labF(y);
        double fz = labF(z);
        return new double[] { 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz) };
    }

    private static double linear(double value) {
        int low = (int) Math.max(0, Math.min(255, Math.floor(value)));
        int high = Math.min(255, low + 1);
        double t = value - low;
        return LINEAR[low] + (LINEAR[high] - LINEAR[low]) * Math.max(0, Math.min(1, t));
    }

    private static double labF(double t) {
        return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
    }

    private static double[] blur(double[] values, int width, int height, double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        double[] kernel = new double[2 * radius + 1];
        for (int i = -radius; i <= radius; i++) {
            kernel[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
        }
        double[] across = blurLines(values, kernel, width, height, 1, width);
        return blurLines(across, kernel, height, width, width, 1);
    }

    /**
     * One pass of a separable blur along {@code lines} lines of {@code length} samples, {@code step} apart within a
     * line, the lines starting {@code lineStep} apart; the kernel is renormalised where it overhangs an edge.
     */
    private static double[] blurLines(double[] values, double[] kernel, int length, int lines, int step, int lineStep) {
        int radius = kernel.length / 2;
        double[] result = new double[values.length];
        for (int line = 0; line < lines; line++) {
            int start = line * lineStep;
            for (int p = 0; p < length; p++) {
                double sum = 0;
                double weight = 0;
                for (int k = -radius; k <= radius; k++) {
                    int q = p + k;
                    if (q >= 0 && q < length) {
                        sum += kernel[k + radius] * values[start + q * step];
                        weight += kernel[k + radius];
                    }
                }
                result[start + p * step] = sum / weight;
            }
        }
        return result;
    }

    /** Sums of every rectangle from the origin: (width + 1) x (height + 1), the first row and column zero. */
    private static double[] summedArea(double[] values, int width, int height) {
        int stride = width + 1;
        double[] table = new double[stride * (height + 1)];
        for (int y = 0; y < height; y++) {
            double row = 0;
            for (int x = 0; x < width; x++) {
                row += values[y * width + x];
                table[(y + 1) * stride + x + 1] = table[y * stride + x + 1] + row;
            }
        }
        return table;
    }

    private static double windowSum(double[] table, int stride, int x, int y, int width, int height) {
        return table[(y + height) * stride + x + width] - table[y * stride + x + width] - table[(y + height) * stride + x] + table[y * stride + x];
    }

    /**
     * The image in block averages of {@code factor x factor} pixels (edge blocks may be smaller), at most {@code side}
     * on the longer side: colour weighted by opacity, and the opacity itself (0 to 1).
     */
    private record Grid(int width, int height, int factor, double[] red, double[] green, double[] blue, double[] opacity) {

        static Grid of(BufferedImage image, int side) {
            int imageWidth = image.getWidth();
            int imageHeight = image.getHeight();
            int factor = Math.max(1, (int) Math.ceil(Math.max(imageWidth, imageHeight) / (double) side));
            int width = (imageWidth + factor - 1) / factor;
            int height = (imageHeight + factor - 1) / factor;
            int n = width * height;
            double[] red = new double[n];
            double[] green = new double[n];
            double[] blue = new double[n];
            double[] alpha = new double[n];
            int[] count = new int[n];
            boolean hasAlpha = image.getColorModel().hasAlpha();
            int[] row = new int[imageWidth];
            for (int y = 0; y < imageHeight; y++) {
                image.getRGB(0, y, imageWidth, 1, row, 0, imageWidth);
                int gridRow = (y / factor) * width;
                for (int x = 0; x < imageWidth; x++) {
                    int argb = row[x];
                    int i = gridRow + x / factor;
                    double a = hasAlpha ? (argb >>> 24) / 255.0 : 1;
                    red[i] += a * ((argb >> 16) & 0xff);
                    green[i] += a * ((argb >> 8) & 0xff);
                    blue[i] += a * (argb & 0xff);
                    alpha[i] += a;
                    count[i]++;
                }
            }
            for (int i = 0; i < n; i++) {
                if (alpha[i] > 0) {
                    red[i] /= alpha[i];
                    green[i] /= alpha[i];
                    blue[i] /= alpha[i];
                }
                alpha[i] /= count[i];
            }
            return new Grid(width, height, factor, red, green, blue, alpha);
        }

        /** A window of {@code pixels} of the image, in grid cells. */
        int window(int pixels, int cells) {
            return (int) Math.max(1, Math.min(cells, Math.round((double) pixels / factor)));
        }
    }
}
