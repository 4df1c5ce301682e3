package dev.imageresizer.imaging;

import dev.imageresizer.config.ResizerConfig.Fit;

/** Output sizes. Never upscales: an image smaller than the box keeps its own size. */
public final class Geometry {

    /**
     * Where an image goes: scaled to {@code scaledWidth x scaledHeight}, then cropped to {@code width x height} where
     * {@link CropWindow} says (no crop for {@link Fit#BOUND}).
     */
    public record Frame(int scaledWidth, int scaledHeight, int width, int height) {

        public Frame {
            if (width <= 0 || height <= 0 || width > scaledWidth || height > scaledHeight) {
                throw new IllegalArgumentException("invalid frame " + scaledWidth + "x" + scaledHeight + " -> " + width + "x" + height);
            }
        }
    }

    private Geometry() {
    }

    /**
     * @param width displayed width of the original
     * @param height displayed height of the original
     */
    public static Frame frame(int width, int height, int boxWidth, int boxHeight, Fit fit) {
        double toWidth = (double) boxWidth / width;
        double toHeight = (double) boxHeight / height;
        double scale = Math.min(1.0, fit == Fit.COVER ? Math.max(toWidth, toHeight) : Math.min(toWidth, toHeight));
        int scaledWidth = scaled(width, scale);
        int scaledHeight = scaled(height, scale);
        if (fit == Fit.BOUND) {
            scaledWidth = Math.min(scaledWidth, boxWidth);
            scaledHeight = Math.min(scaledHeight, boxHeight);
            return new Frame(scaledWidth, scaledHeight, scaledWidth, scaledHeight);
        }
        return new Frame(scaledWidth, scaledHeight, Math.min(boxWidth, scaledWidth), Math.min(boxHeight, scaledHeight));
    }

    private static int scaled(int size, double scale) {
        return scale == 1.0 ? size : (int) Math.max(1, Math.round(size * scale));
    }
}
