package dev.imageresizer.imaging;

import java.awt.image.BufferedImage;
import java.util.Optional;

import dev.imageresizer.config.ResizerConfig.Crop;

/**
 * Where a {@code cover} rendition's window is cut from the image already scaled to cover the box: around the uploader's
 * focal point when there is one, else as the rendition's {@link Crop} strategy says. The window always lies inside the
 * image. Strategies other than {@link Crop#CENTRE} look at the scaled image's pixels ({@link Saliency}), which at a
 * rendition's size costs a few milliseconds.
 */
public final class CropWindow {

    /** A window in the scaled image: its top-left corner and its size, in pixels. */
    public record Box(int x, int y, int width, int height) {

        public Box {
            if (x < 0 || y < 0 || width <= 0 || height <= 0) {
                throw new IllegalArgumentException("invalid box " + x + "," + y + " " + width + "x" + height);
            }
        }
    }

    private CropWindow() {
    }

    /**
     * @param image the image scaled to cover the box, in the orientation it is cropped in
     * @param width the window's width, at most the image's
     * @param height the window's height, at most the image's
     * @param focus the uploader's focal point, in the same orientation as {@code image}; wins over {@code crop}
     */
    public static Box choose(BufferedImage image, int width, int height, Crop crop, Optional<FocalPoint> focus) {
        int imageWidth = image.getWidth();
        int imageHeight = image.getHeight();
        if (width == imageWidth && height == imageHeight) {
            return new Box(0, 0, width, height);
        }
        if (focus.isPresent()) {
            return around(imageWidth, imageHeight, width, height, focus.get().x() * imageWidth, focus.get().y() * imageHeight);
        }
        return switch (crop) {
            case CENTRE -> centre(imageWidth, imageHeight, width, height);
            case ATTENTION -> Saliency.attention(image, width, height);
            case ENTROPY -> Saliency.entropy(image, width, height);
        };
    }

    /** The centred window; where the excess is odd, the extra pixel is cut from the right or the bottom. */
    public static Box centre(int imageWidth, int imageHeight, int width, int height) {
        check(imageWidth, imageHeight, width, height);
        return new Box((imageWidth - width) / 2, (imageHeight - height) / 2, width, height);
    }

    /**
     * The window whose centre is nearest to ({@code centreX}, {@code centreY}), in pixels of the image (0 to its width
     * and height): centred on it, then moved as little as keeps it inside the image.
     */
    public static Box around(int imageWidth, int imageHeight, int width, int height, double centreX, double centreY) {
        check(imageWidth, imageHeight, width, height);
        return new Box(clamp(centreX - width / 2.0, imageWidth - width), clamp(centreY - height / 2.0, imageHeight - height), width, height);
    }

    /** Rounded half down, so that the image's centre gives {@link #centre}'s window. */
    private static int clamp(double start, int max) {
        return (int) Math.max(0, Math.min(max, Math.ceil(start - 0.5)));
    }

    private static void check(int imageWidth, int imageHeight, int width, int height) {
        if (width <= 0 || height <= 0 || width > imageWidth || height > imageHeight) {
            throw new IllegalArgumentException("a " + width + "x" + height + " window does not fit in " + imageWidth + "x" + imageHeight);
        }
    }
}
