package dev.imageresizer.imaging;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;

import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;

import com.drew.imaging.ImageMetadataReader;
import com.drew.imaging.jpeg.JpegMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.exif.ExifReader;

import dev.imageresizer.pipeline.Failure;
import dev.imageresizer.pipeline.Failure.Reason;

/**
 * Inspects an original without decoding its pixels: format from the magic bytes, PNG chunk structure, size from the
 * header, EXIF orientation, alpha. Enforces the pixel limit, so a decompression bomb is refused before any decode.
 */
public final class ImageInspector {

    private final long maxPixels;

    public ImageInspector(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /**
     * @throws Failure.Rejected when the bytes are not a supported image, are damaged, or exceed the pixel limit
     */
    public ImageInfo inspect(byte[] bytes) {
        ImageFormat format = ImageFormat.sniff(bytes);
        boolean pngAlpha = format == ImageFormat.PNG && PngStructure.verify(bytes);
        int width;
        int height;
        boolean alpha;
        ImageReader reader = ImageReaders.open(format, bytes);
        try {
            width = reader.getWidth(0);
            height = reader.getHeight(0);
            alpha = switch (format) {
                case JPEG -> false;
                case PNG -> pngAlpha;
                default -> hasAlpha(reader);
            };
        } catch (IOException | RuntimeException e) {
            throw Failure.rejected(Reason.CORRUPT, "corrupt " + format + ": unreadable header (" + e.getMessage() + ")", e);
        } finally {
            reader.dispose();
        }
        if (width <= 0 || height <= 0) {
            throw Failure.rejected(Reason.CORRUPT, "corrupt " + format + ": invalid size " + width + "x" + height);
        }
        if ((long) width * height > maxPixels) {
            throw Failure.rejected(Reason.TOO_LARGE, String.format("image too large: %dx%d is %.1f megapixels, the limit is %.1f",
                    width, height, width * (double) height / 1e6, maxPixels / 1e6));
        }
        return new ImageInfo(format, width, height, orientation(format, bytes), alpha);
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
        if (format != ImageFormat.JPEG && format != ImageFormat.TIFF && format != ImageFormat.PNG) {
            return 1;
        }
        try {
            Metadata metadata = format == ImageFormat.JPEG
                    ? JpegMetadataReader.readMetadata(new ByteArrayInputStream(bytes), List.of(new ExifReader()))
                    : ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes), bytes.length);
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
