package dev.imageresizer.imaging;

import java.util.Objects;
import java.util.Optional;

import dev.imageresizer.config.ResizerConfig.Crop;
import dev.imageresizer.config.ResizerConfig.Fit;
import dev.imageresizer.config.ResizerConfig.Lossless;
import dev.imageresizer.config.ResizerConfig.OutputFormat;

/**
 * One configured rendition: a named box, how to fit it, and how to encode it.
 *
 * @param lossless how a {@code webp} rendition is compressed; {@link Lossless#FALSE} for every other format
 * @param crop where a {@link Fit#COVER cover} rendition's window is cut ({@link CropWindow}); {@link Crop#CENTRE} for a
 *            {@code bound} one, which is never cropped
 */
public record RenditionSpec(String name, int width, int height, Fit fit, OutputFormat format, int quality, Lossless lossless, Crop crop) {

    public RenditionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(fit, "fit");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(lossless, "lossless");
        Objects.requireNonNull(crop, "crop");
        if (fit == Fit.BOUND && crop != Crop.CENTRE) {
            throw new IllegalArgumentException("rendition " + name + ": crop " + crop.name().toLowerCase() + " needs fit cover; a bound rendition is never cropped");
        }
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("rendition " + name + ": width and height must be positive");
        }
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("rendition " + name + ": quality must be 1 to 100");
        }
        if (lossless != Lossless.FALSE && format != OutputFormat.WEBP) {
            throw new IllegalArgumentException("rendition " + name + ": lossless applies to format webp only, not " + format.name().toLowerCase());
        }
    }

    /** A rendition that is not lossless WebP, whose {@code cover} crop, if any, is centred. */
    public RenditionSpec(String name, int width, int height, Fit fit, OutputFormat format, int quality) {
        this(name, width, height, fit, format, quality, Lossless.FALSE, Crop.CENTRE);
    }

    /** A rendition whose {@code cover} crop, if any, is centred. */
    public RenditionSpec(String name, int width, int height, Fit fit, OutputFormat format, int quality, Lossless lossless) {
        this(name, width, height, fit, format, quality, lossless, Crop.CENTRE);
    }

    /** A rendition that is not lossless WebP. */
    public RenditionSpec(String name, int width, int height, Fit fit, OutputFormat format, int quality, Crop crop) {
        this(name, width, height, fit, format, quality, Lossless.FALSE, crop);
    }

    /** The encoded format of this rendition of an original. */
    public ImageFormat outputFor(ImageInfo original) {
        return outputFor(original, false);
    }

    /**
     * @param keepAnimation whether an animated GIF stays an animated GIF where the format is {@code same} (a
     *        {@code webp} rendition is a still of the first frame: the WebP encoder writes no animation)
     */
    public ImageFormat outputFor(ImageInfo original, boolean keepAnimation) {
        if (keepAnimation && format == OutputFormat.SAME && original.format() == ImageFormat.GIF && original.animated()) {
            return ImageFormat.GIF;
        }
        return fixedFormat().orElseGet(() -> switch (original.format()) {
            case JPEG, PNG -> original.format();
            default -> original.alpha() ? ImageFormat.PNG : ImageFormat.JPEG;
        });
    }

    /** The format of this rendition of every original; empty for {@code same}, which depends on the original. */
    public Optional<ImageFormat> fixedFormat() {
        return switch (format) {
            case JPEG -> Optional.of(ImageFormat.JPEG);
            case PNG -> Optional.of(ImageFormat.PNG);
            case AVIF -> Optional.of(ImageFormat.AVIF);
            case WEBP -> Optional.of(ImageFormat.WEBP);
            case SAME -> Optional.empty();
        };
    }
}
