package dev.imageresizer.imaging;

/**
 * What inspection learned about an original without decoding its pixels.
 *
 * @param format the sniffed format
 * @param width stored width in pixels, before orientation
 * @param height stored height in pixels, before orientation
 * @param orientation the EXIF orientation, 1 (as stored) to 8
 * @param alpha whether the image has an alpha channel or a transparent colour
 * @param frames how many frames an animation has (1 for a still)
 */
public record ImageInfo(ImageFormat format, int width, int height, int orientation, boolean alpha, int frames) {

    public ImageInfo(ImageFormat format, int width, int height, int orientation, boolean alpha) {
        this(format, width, height, orientation, alpha, 1);
    }

    public ImageInfo {
        if (frames < 1) {
            throw new IllegalArgumentException("frames must be at least 1: " + frames);
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("size must be positive: " + width + "x" + height);
        }
        if (orientation < 1 || orientation > 8) {
            throw new IllegalArgumentException("orientation must be 1 to 8: " + orientation);
        }
    }

    /** Whether this is an animation (a GIF of more than one frame). */
    public boolean animated() {
        return frames > 1;
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
