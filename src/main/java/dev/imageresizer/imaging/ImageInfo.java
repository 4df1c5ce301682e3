package dev.imageresizer.imaging;

/**
 * What inspection learned about an original without decoding its pixels.
 *
 * @param format the sniffed format
 * @param width stored width in pixels, before orientation
 * @param height stored height in pixels, before orientation
 * @param orientation the EXIF orientation, 1 (as stored) to 8
 * @param alpha whether the image has an alpha channel or a transparent colour
 */
public record ImageInfo(ImageFormat format, int width, int height, int orientation, boolean alpha) {

    public ImageInfo {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
        }
        if (orientation < 1 || orientation > 8) {
            throw new IllegalArgumentException("orientation must be 1 to 8: " + orientation);
        }
    }

    /** Orientations 5 to 8 turn the image by 90 degrees, so width and height swap. */
    public boolean transposed() {
        return Orientation.transposes(orientation);
    }

    /** Width as displayed, after orientation. */
    public int displayWidth() {
        return transposed() ? height : width;
    }

    /** Height as displayed, after orientation. */
    public int displayHeight() {
        return transposed() ? width : height;
    }
}
