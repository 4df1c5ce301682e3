package dev.imageresizer.imaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import dev.imageresizer.pipeline.Failure;
import dev.imageresizer.pipeline.Failure.Reason;

/** ImageIO readers over an original's own stream (never ImageIO's temporary-file cache). */
final class ImageReaders {

    private ImageReaders() {
    }

    /** A reader for the first image of {@code data}; the caller hands it back to {@link #close(ImageReader)}. */
    static ImageReader open(ImageFormat format, ImageData data) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName);
        if (!readers.hasNext()) {
            throw Failure.rejected(Reason.UNSUPPORTED, "no " + format + " decoder is available in this build");
        }
        ImageReader reader = readers.next();
        try {
            reader.setInput(data.imageStream(), true, true);
        } catch (IOException e) {
            reader.dispose();
            throw new UncheckedIOException("cannot read the original's copy", e);
        }
        return reader;
    }

    /** Disposes the reader and closes its stream. */
    static void close(ImageReader reader) {
        Object input = reader.getInput();
        reader.dispose();
        if (input instanceof ImageInputStream stream) {
            try {
                stream.close();
            } catch (IOException e) {
                // a stream over memory or a temporary file: nothing to lose
            }
        }
    }
}
