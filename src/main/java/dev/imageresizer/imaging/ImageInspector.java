package dev.imageresizer.imaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;

import dev.imageresizer.failure.Failure;
import dev.imageresizer.failure.Failure.Reason;

/**
 * Inspects an original without decoding its pixels: format from the magic bytes, PNG chunk structure, size from the
 * header, EXIF orientation, alpha. Enforces the pixel and frame limits, so a decompression bomb or an animation of
 * thousands of frames is refused before any decode.
 */
public final class ImageInspector {

    /** Enough for every magic number {@link ImageFormat#sniff} knows. */
    private static final int SNIFF_LENGTH = 512;

    /** The default of {@code resizer.limits.max-frames}. */
    public static final int DEFAULT_MAX_FRAMES = 1000;

    private final long maxPixels;
    private final int maxFrames;
    private final Optional<Heif> heif;

    public ImageInspector(long maxPixels) {
        this(maxPixels, DEFAULT_MAX_FRAMES);
    }

    /** Without libheif: HEIC/HEIF and AVIF originals are refused as unsupported. */
    public ImageInspector(long maxPixels, int maxFrames) {
        this(maxPixels, maxFrames, Optional.empty());
    }

    /**
     * @param maxPixels originals with more pixels are refused from their header
     * @param maxFrames animations with more frames are refused before decoding
     * @param heif reads the headers of HEIC/HEIF and AVIF originals; without it they are refused as unsupported
     */
    public ImageInspector(long maxPixels, int maxFrames, Optional<Heif> heif) {
        this.maxPixels = maxPixels;
        this.maxFrames = maxFrames;
        this.heif = heif;
    }

    /**
     * @throws Failure.Rejected when the bytes are not a supported image, are damaged, or exceed the pixel limit
     */
    public ImageInfo inspect(byte[] bytes) {
        return inspect(ImageData.of(bytes));
    }

    /**
     * @throws Failure.Rejected when the data is not a supported image, is damaged, or exceeds the pixel limit
     */
    public ImageInfo inspect(ImageData data) {
        ImageFormat format = ImageFormat.sniff(data.head(SNIFF_LENGTH));
        if (format == ImageFormat.HEIF || format == ImageFormat.AVIF) {
            return inspectHeif(data, format);
        }
        // the chunk walk reads no pixel data and is quick (5 ms for a 2.6 MB, 900-megapixel bomb)
        boolean pngAlpha = format == ImageFormat.PNG && verifyPng(data);
        if (format == ImageFormat.TIFF) {
            TiffStructure.verify(data, maxPixels);
        }
        int width;
        int height;
        boolean alpha;
        int webpFrames = 1;
        boolean uncovered = false; // a GIF's screen that its first frame leaves partly transparent
        ImageReader reader = ImageReaders.open(format, data);
        try {
            width = reader.getWidth(0);
            height = reader.getHeight(0);
            if (format == ImageFormat.GIF) {
                // a GIF is its logical screen, which its first frame may not fill (or may overflow, as browsers allow)
                int[] canvas = GifCanvas.of(reader);
                uncovered = canvas[0] != width || canvas[1] != height;
                width = canvas[0];
                height = canvas[1];
            }
            if (format == ImageFormat.WEBP) {
                // the chunk walk of an animated WebP; its renditions are made from the first frame
                webpFrames = reader.getNumImages(true);
            }
            alpha = switch (format) {
                case JPEG -> false;
                case PNG -> pngAlpha;
                default -> uncovered || hasAlpha(reader);
            };
        } catch (IOException | RuntimeException e) {
            throw DecoderFailure.of(format.toString(), "unreadable header", e);
        } finally {
            ImageReaders.close(reader);
        }
        if (width <= 0 || height <= 0) {
            throw Failure.rejected(Reason.CORRUPT, "corrupt " + format + ": invalid size " + width + "x" + height);
        }
        checkPixels(width, height);
        int frames = format == ImageFormat.GIF ? Math.max(1, gifFrames(data)) : Math.max(1, webpFrames);
        if (frames > maxFrames) {
            throw Failure.rejected(Reason.TOO_LARGE, "image too large: an animation of more than " + maxFrames + " frames, the limit");
        }
        return new ImageInfo(format, width, height, orientation(format, data), alpha, frames);
    }

    /** The size from the header alone: a decompression bomb is refused before any pixel is decoded. */
    private void checkPixels(int width, int height) {
        if ((long) width * height > maxPixels) {
            throw Failure.rejected(Reason.TOO_LARGE, String.format("image too large: %dx%d is %.1f megapixels, the limit is %.1f",
                    width, height, width * (double) height / 1e6, maxPixels / 1e6));
        }
    }

    /**
     * HEIC/HEIF and AVIF through libheif, which parses the boxes only. The size is the primary image's as shown: libheif
     * applies {@code irot}/{@code imir} while decoding, so the orientation is 1 whatever EXIF says (see {@link Heif}).
     * libheif's own pixel limit ({@link Heif#maxPixels}) applies besides the general one, as it decodes at full size.
     */
    private ImageInfo inspectHeif(ImageData data, ImageFormat format) {
        if (heif.isEmpty()) {
            throw Failure.rejected(Reason.UNSUPPORTED, "unsupported image format " + (format == ImageFormat.AVIF ? "AVIF" : "HEIF/HEIC")
                    + ": it is read through libheif, which is not installed here (" + Heif.INSTALL + ")");
        }
        long limit = Math.min(maxPixels, heif.get().maxPixels());
        Heif.Header header = heif.get().header(data, format, (int) Math.min(Integer.MAX_VALUE, limit));
        if (header.width() <= 0 || header.height() <= 0) {
            throw Failure.rejected(Reason.CORRUPT, "corrupt " + format + ": invalid size " + header.width() + "x" + header.height());
        }
        checkPixels(header.width(), header.height());
        if ((long) header.width() * header.height() > limit) {
            throw Failure.rejected(Reason.TOO_LARGE, String.format("image too large: %dx%d is %.1f megapixels, the limit for %s (decoded at full size "
                    + "by libheif, resizer.heif.max-megapixels) is %.1f", header.width(), header.height(), header.width() * (double) header.height() / 1e6,
                    format, limit / 1e6));
        }
        return new ImageInfo(format, header.width(), header.height(), 1, header.alpha(), 1);
    }

    private int gifFrames(ImageData data) {
        try (InputStream in = data.open()) {
            return GifFrames.count(in, maxFrames);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the original's copy", e);
        }
    }

    private static boolean verifyPng(ImageData data) {
        try (InputStream in = data.open()) {
            return PngStructure.verify(in, data.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the original's copy", e);
        }
    }

    private static boolean hasAlpha(ImageReader reader) throws IOException {
        ImageTypeSpecifier raw = reader.getRawImageType(0);
        if (raw != null) {
            return raw.getColorModel().hasAlpha();
        }
        Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
        return types.hasNext() && types.next().getColorModel().hasAlpha();
    }

    /** The EXIF orientation, or 1 when there is none or it cannot be read: bad metadata never costs the image. */
    static int orientation(ImageFormat format, byte[] bytes) {
        return orientation(format, ImageData.of(bytes));
    }

    private static int orientation(ImageFormat format, ImageData data) {
        if (format == ImageFormat.GIF || format == ImageFormat.BMP) {
            return 1;
        }
        try (InputStream in = data.open()) {
            // JPEG: the segments before the image data only; PNG, TIFF and WebP from a file are read with random access
            Metadata metadata = format == ImageFormat.JPEG ? JpegMetadataReader.readMetadata(in, List.of(new ExifReader()))
                    : data instanceof ImageData.InFile file ? ImageMetadataReader.readMetadata(file.file().toFile())
                    : ImageMetadataReader.readMetadata(in, data.size());
            ExifIFD0Directory exif = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
            if (exif != null && exif.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                int orientation = exif.getInt(ExifIFD0Directory.TAG_ORIENTATION);
                return orientation >= 1 && orientation <= 8 ? orientation : 1;
            }
        } catch (Exception | StackOverflowError e) {
            // unreadable metadata: keep the image as stored
        }
        return 1;
    }
}
