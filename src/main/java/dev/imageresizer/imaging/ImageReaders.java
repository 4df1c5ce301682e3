package dev.imageresizer.imaging;

import java.io.ByteArrayInputStream;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.MemoryCacheImageInputStream;

import dev.imageresizer.pipeline.Failure;
import dev.imageresizer.pipeline.Failure.Reason;

/** ImageIO readers over in-memory bytes (never ImageIO's temporary-file cache). */
final class ImageReaders {

    private ImageReaders() {
    }

    /** A reader for the first image of {@code bytes}; the caller disposes it. */
    static ImageReader open(ImageFormat format, byte[] bytes) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName);
        if (!readers.hasNext()) {
            throw Failure.rejected(Reason.UNSUPPORTED, "no " + format + " decoder is available in this build");
        }
        ImageReader reader = readers.next();
        reader.setInput(new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes)), true, true);
        return reader;
    }
}
