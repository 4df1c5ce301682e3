package dev.imageresizer.imaging;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * An encoded original, held either in memory or, when it is large, in a temporary file that is read as a stream: a
 * 300 MB bitmap then costs its decoded (subsampled) pixels, not another 300 MB of heap. Closing it deletes the file.
 */
public sealed interface ImageData extends AutoCloseable {

    static ImageData of(byte[] bytes) {
        return new InMemory(bytes);
    }

    /** @return the size in bytes */
    long size();

    /** A new stream over the whole content; the caller closes it. */
    InputStream open() throws IOException;

    /** A new ImageIO stream over the whole content, without ImageIO's own cache files; the caller closes it. */
    ImageInputStream imageStream() throws IOException;

    /** Up to {@code length} bytes from the start, for sniffing the format. */
    default byte[] head(int length) {
        try (InputStream in = open()) {
            return in.readNBytes(length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    void close();

    /** Content in memory, as most originals are. */
    record InMemory(byte[] bytes) implements ImageData {

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public ImageInputStream imageStream() {
            return new MemoryCacheImageInputStream(open());
        }

        @Override
        public void close() {
            // nothing to release
        }
    }

    /** Content in a temporary file, owned by this object: {@link #close()} deletes it. */
    record InFile(Path file, long size) implements ImageData {

        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(file);
        }

        @Override
        public ImageInputStream imageStream() throws IOException {
            return new FileImageInputStream(file.toFile());
        }

        @Override
        public void close() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete the temporary copy " + file, e);
            }
        }
    }
}
