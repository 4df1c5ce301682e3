package dev.imageresizer.imaging;

/**
 * Where the subject of an image is, as the uploader sees it: fractions of the upright image's width ({@code x}, 0 the
 * left edge, 1 the right) and height ({@code y}, 0 the top, 1 the bottom). A {@code cover} rendition's window is centred
 * on it, as far as the image allows ({@link CropWindow}).
 */
public record FocalPoint(double x, double y) {

    public FocalPoint {
        if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) {
            throw new IllegalArgumentException("a focal point is 0 to 1 on each axis, not (" + x + ", " + y + ")");
        }
    }

    /**
     * The same point in the stored pixels of an original with this EXIF orientation (the renderer crops before it turns
     * a rendition upright; see {@link Orientation}).
     */
    public FocalPoint stored(int orientation) {
        return switch (orientation) {
            case 0, 1 -> this;
            case 2 -> new FocalPoint(1 - x, y); // mirrored horizontally
            case 3 -> new FocalPoint(1 - x, 1 - y); // rotated 180
            case 4 -> new FocalPoint(x, 1 - y); // mirrored vertically
            case 5 -> new FocalPoint(y, x); // transposed
            case 6 -> new FocalPoint(y, 1 - x); // shown rotated 90 clockwise
            case 7 -> new FocalPoint(1 - y, 1 - x); // transverse
            case 8 -> new FocalPoint(1 - y, x); // shown rotated 90 counter-clockwise
            default -> throw new IllegalArgumentException("orientation " + orientation);
        };
    }
}
