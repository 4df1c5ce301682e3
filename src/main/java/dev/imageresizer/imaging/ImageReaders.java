package dev.imageresizer.imaging;

import java.io.IOException;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import dev.imageresizer.failure.Failure;
import dev.imageresizer.failure.Failure.Reason;

/** ImageIO readers over an original's own stream (never ImageIO's temporary-file cache). */
final class ImageReaders {

    static {
        ImageIoPlugins.register();
    }

    private ImageReaders() {
    }

    /**
     * A reader for the first image of {@code data}: the first registered reader of {@code format} that accepts these
     * bytes (TwelveMonkeys' TIFF and BMP readers register ahead of the JDK's), never webp-imageio's native one (see
     * {@link ImageIoPlugins}); the caller hands it back to
     * {@link #close(ImageReader)}.
     */
    static ImageReader open(ImageFormat format, ImageData data) {
        ImageInputStream stream;
        try {
            stream = data.imageStream();
        } catch (IOException e) {
            throw Failure.unavailable("cannot read the original's copy", e);
        }
        ImageReader reader = null;
        try {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
            while (reader == null && readers.hasNext()) {
                ImageReader candidate = readers.next();
                if (handles(candidate, format)) {
                    reader = candidate;
                }
            }
            if (reader == null) {
                // no reader recognises these bytes as this format: its own reader will say what is wrong with them
                Iterator<ImageReader> byName = ImageIO.getImageReadersByFormatName(format.imageIoName);
                while (reader == null && byName.hasNext()) {
                    ImageReader candidate = byName.next();
                    if (ImageIoPlugins.decodes(candidate.getOriginatingProvider())) {
                        reader = candidate;
                    }
                }
                if (reader == null) {
                    throw Failure.rejected(Reason.UNSUPPORTED, "no " + format + " decoder is available in this build");
                }
            }
            // an animated WebP's frames are counted by searching the whole file, which a forward-only stream forbids
            reader.setInput(stream, format != ImageFormat.WEBP, true);
            return reader;
        } catch (RuntimeException e) {
            if (reader != null) {
                reader.dispose();
            }
            close(stream);
            throw e;
        }
    }

    private static boolean handles(ImageReader reader, ImageFormat format) {
        if (!ImageIoPlugins.decodes(reader.getOriginatingProvider())) {
            return false;
        }
        String[] names = reader.getOriginatingProvider() == null ? new String[0] : reader.getOriginatingProvider().getFormatNames();
        for (String name : names) {
            if (name.equalsIgnoreCase(format.imageIoName)) {
                return true;
            }
        }
        return false;
    }

    /** Disposes the reader and closes its stream. */
    static void close(ImageReader reader) {
        Object input = reader.getInput();
        reader.dispose();
        if (input instanceof ImageInputStream stream) {
            close(stream);
        }
    }

    private static void close(ImageInputStream stream) {
        try {
            stream.close();
        } catch (IOException e) {
            // a stream over memory or a temporary file: nothing to lose
        }
    }
}
