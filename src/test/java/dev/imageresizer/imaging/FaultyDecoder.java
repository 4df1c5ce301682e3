package dev.imageresizer.imaging;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.spi.ServiceRegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.ImageInputStream;

import dev.imageresizer.support.Images;

/**
 * A PNG decoder with a bug: it reads the header as any PNG reader does, then fails on the pixels with an unchecked
 * exception, as the JDK's and TwelveMonkeys' decoders have done on valid files ({@code / by zero},
 * {@code ArrayIndexOutOfBoundsException}). It takes only PNGs that carry the private ancillary chunk {@code buGy} right
 * after their header ({@link #png()}), ahead of every other PNG reader, so every other image decodes as usual while it
 * is {@link #install installed}.
 */
public final class FaultyDecoder extends ImageReaderSpi {

    /** The exception every decode ends in. */
    public static final String FAILURE = "/ by zero";

    private static final byte[] MARKER = "buGy".getBytes(StandardCharsets.US_ASCII);
    private static final int MARKER_OFFSET = 8 + 25 + 4; // signature, IHDR chunk, the marker chunk's length

    private FaultyDecoder() {
        super("imageresizer tests", "1", new String[] { "png" }, new String[0], new String[0], ImageReader.class.getName(),
                new Class<?>[] { ImageInputStream.class }, null, false, null, null, null, null, false, null, null, null, null);
    }

    /** Registers the decoder ahead of every other PNG reader the application reads with; the returned handle removes it again. */
    public static AutoCloseable install() {
        FaultyDecoder spi = new FaultyDecoder();
        ServiceRegistry registry = ImageIoPlugins.registry();
        registry.registerServiceProvider(spi, ImageReaderSpi.class);
        Iterator<ImageReaderSpi> others = registry.getServiceProviders(ImageReaderSpi.class, true);
        while (others.hasNext()) {
            ImageReaderSpi other = others.next();
            if (other != spi && List.of(other.getFormatNames()).contains("png")) {
                registry.setOrdering(ImageReaderSpi.class, spi, other);
            }
        }
        return () -> registry.deregisterServiceProvider(spi, ImageReaderSpi.class);
    }

    /** A valid 64x48 RGB PNG that the faulty decoder claims: any other PNG reader decodes it. */
    public static byte[] png() {
        byte[] plain = Images.encode(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB), "png");
        return Images.withChunk(plain, new String(MARKER, StandardCharsets.US_ASCII), new byte[] { 1 });
    }

    @Override
    public boolean canDecodeInput(Object source) throws IOException {
        if (!(source instanceof ImageInputStream in)) {
            return false;
        }
        byte[] head = new byte[MARKER_OFFSET + MARKER.length];
        in.mark();
        try {
            in.readFully(head);
        } catch (IOException e) {
            return false;
        } finally {
            in.reset();
        }
        return head[1] == 'P' && head[2] == 'N' && head[3] == 'G'
                && java.util.Arrays.equals(head, MARKER_OFFSET, head.length, MARKER, 0, MARKER.length);
    }

    @Override
    public ImageReader createReaderInstance(Object extension) {
        return new Reader(this);
    }

    @Override
    public String getDescription(Locale locale) {
        return "a PNG decoder that fails on the pixels";
    }

    private static final class Reader extends ImageReader {
        Reader(ImageReaderSpi spi) {
            super(spi);
        }

        private ImageInputStream in() {
            return (ImageInputStream) getInput();
        }

        @Override
        public int getNumImages(boolean allowSearch) {
            return 1;
        }

        @Override
        public int getWidth(int imageIndex) throws IOException {
            in().seek(16);
            return in().readInt();
        }

        @Override
        public int getHeight(int imageIndex) throws IOException {
            in().seek(20);
            return in().readInt();
        }

        @Override
        public Iterator<ImageTypeSpecifier> getImageTypes(int imageIndex) {
            return List.of(ImageTypeSpecifier.createFromBufferedImageType(BufferedImage.TYPE_INT_RGB)).iterator();
        }

        @Override
        public IIOMetadata getStreamMetadata() {
            return null;
        }

        @Override
        public IIOMetadata getImageMetadata(int imageIndex) {
            return null;
        }

        @Override
        public BufferedImage read(int imageIndex, ImageReadParam param) {
            throw new ArithmeticException(FAILURE); // as ImageDecoder.fromGrey did on 32-bit grey TIFFs
        }
    }
}
