package dev.imageresizer.imaging;

import java.io.IOException;
import java.util.Iterator;

import javax.imageio.ImageReader;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

import dev.imageresizer.failure.Failure;
import dev.imageresizer.failure.Failure.Reason;

/** ImageIO readers over an original's own stream (never ImageIO's temporary-file cache). */
final class ImageReaders {

    private ImageReaders() {
    }

    /**
     * A reader for the first image of {@code data}: the first reader of {@code format} in {@link ImageIoPlugins} that
     * accepts these bytes (TwelveMonkeys' ahead of the JDK's); the caller hands it back to {@link #close(ImageReader)}.
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
            ImageReaderSpi chosen = null;
            ImageReaderSpi first = null;
            for (Iterator<ImageReaderSpi> readers = ImageIoPlugins.readers(); chosen == null && readers.hasNext();) {
                ImageReaderSpi candidate = readers.next();
                if (handles(candidate, format)) {
                    first = first == null ? candidate : first;
                    chosen = accepts(candidate, stream) ? candidate : null;
                }
            }
            if (chosen == null) {
                // no reader recognises these bytes as this format: its own reader will say what is wrong with them
                if (first == null) {
                    throw Failure.rejected(Reason.UNSUPPORTED, "no " + format + " decoder is available in this build");
                }
                chosen = first;
            }
            reader = chosen.createReaderInstance();
            // an animated WebP's frames are counted by searching the whole file, which a forward-only stream forbids
            reader.setInput(stream, format != ImageFormat.WEBP, true);
            return reader;
        } catch (IOException e) {
            close(stream);
            throw Failure.unavailable("cannot read the original's copy", e);
        } catch (RuntimeException e) {
            if (reader != null) {
                reader.dispose();
            }
            close(stream);
            throw e;
        }
    }

    private static boolean handles(ImageReaderSpi reader, ImageFormat format) {
        for (String name : reader.getFormatNames()) {
            if (name.equalsIgnoreCase(format.imageIoName)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the reader recognises the stream's first bytes (as ImageIO asks: a failure to read is a no), leaving the stream where it was. */
    private static boolean accepts(ImageReaderSpi reader, ImageInputStream stream) throws IOException {
        stream.mark();
        try {
            return reader.canDecodeInput(stream);
        } catch (IOException e) {
            return false;
        } finally {
            stream.reset();
        }
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
