package dev.imageresizer.support;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

/**
 * Broken and hostile inputs, made from their facts so each says what it is. The CMYK and YCCK JPEGs are small files
 * in src/test/resources/hostile, made once from the corpus's s_baboon.jpg at 160x120 with Adobe's inverted CMYK (as
 * Photoshop writes it): YCCK by libjpeg-turbo (TurboJPEG, pixel format CMYK), CMYK by the JDK's writer with an Adobe
 * APP14 marker added; {@code cmyk-expected-160x120.png} is the RGB image they were made from.
 */
public final class HostileImages {

    private HostileImages() {
    }

    public static byte[] resource(String name) {
        try (InputStream in = HostileImages.class.getResourceAsStream("/hostile/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource hostile/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A real JPEG whose frame header is patched to claim {@code width x height}: a few KB that claim gigapixels. */
    public static byte[] jpegClaiming(int width, int height) {
        byte[] jpeg = Images.fixture("photos/baboon.jpg").clone();
        for (int i = 2; i + 9 < jpeg.length; i++) {
            int marker = jpeg[i + 1] & 0xFF;
            if ((jpeg[i] & 0xFF) == 0xFF && (marker == 0xC0 || marker == 0xC2)) {
                jpeg[i + 5] = (byte) (height >> 8);
                jpeg[i + 6] = (byte) height;
                jpeg[i + 7] = (byte) (width >> 8);
                jpeg[i + 8] = (byte) width;
                return jpeg;
            }
        }
        throw new IllegalStateException("no frame header in s_baboon.jpg");
    }

    /**
     * A real decompression bomb: a valid {@code size x size} 8-bit grey PNG, all black, whose image data is deflated
     * zeros (30000 x 30000 is 900 megapixels in under a megabyte).
     */
    public static byte[] pngBomb(int size) {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] row = new byte[size + 1]; // filter byte 0 and a row of black
        deflateRepeated(idat, row, row.length, (long) size * row.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A });
        Images.chunk(out, "IHDR", ihdr(size, size, 8, 0));
        Images.chunk(out, "IDAT", idat.toByteArray());
        Images.chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /**
     * A real PNG with an ancillary chunk of {@code bytes} inserted after its header: a huge {@code tEXt}, or an
     * {@code iCCP} "profile" that inflates to {@code bytes} of zeros (a bomb in the metadata, not the pixels).
     */
    public static byte[] pngWithChunk(byte[] png, String type, int bytes) {
        byte[] data;
        if (type.equals("iCCP")) {
            ByteArrayOutputStream profile = new ByteArrayOutputStream();
            profile.writeBytes("bomb\0\0".getBytes(StandardCharsets.ISO_8859_1)); // name, NUL, compression method 0
            byte[] zeros = new byte[1 << 20];
            deflateRepeated(profile, zeros, zeros.length, bytes);
            data = profile.toByteArray();
        } else {
            data = new byte[bytes];
            byte[] keyword = "Comment\0".getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(keyword, 0, data, 0, keyword.length);
            Arrays.fill(data, keyword.length, bytes, (byte) 'x');
        }
        return Images.withChunk(png, type, data);
    }

    /** An animated GIF of {@code frames} small frames, each a different grey. */
    public static byte[] animatedGif(int frames, int width, int height) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
            for (int i = 0; i < frames; i++) {
                BufferedImage frame = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED);
                frame.getRaster().setSample(i % width, 0, 0, i % 200);
                IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
                IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree("javax_imageio_gif_image_1.0");
                IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
                control.setAttribute("disposalMethod", "none");
                control.setAttribute("userInputFlag", "FALSE");
                control.setAttribute("transparentColorFlag", "FALSE");
                control.setAttribute("delayTime", "2");
                control.setAttribute("transparentColorIndex", "0");
                root.appendChild(control);
                metadata.setFromTree("javax_imageio_gif_image_1.0", root);
                writer.writeToSequence(new IIOImage(frame, null, metadata), null);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** A little-endian 8-bit grey TIFF of {@code width}x{@code height} in tiles of {@code tileWidth}x{@code tileLength}. */
    public static byte[] tiffTiles(int width, int height, int tileWidth, int tileLength) {
        return tiff(width, height, 1, new int[][] { { 322, 4, tileWidth }, { 323, 4, tileLength }, { 324, 4, 8 }, { 325, 4, 1 } });
    }

    /** A TIFF whose strip table claims {@code strips} entries (pointing at offset 8, inside a file of a few hundred bytes). */
    public static byte[] tiffStrips(int width, int height, int strips) {
        return tiff(width, height, 1, new int[][] { { 273, 4, 8, strips }, { 278, 4, 1 }, { 279, 4, 8, strips } });
    }

    /** A one-strip 8-bit grey TIFF whose Compression tag says {@code compression}. */
    public static byte[] tiffCompressed(int width, int height, int compression) {
        return tiff(width, height, compression, new int[][] { { 273, 4, 8 }, { 278, 4, height }, { 279, 4, width * height } });
    }

    /**
     * A TIFF directory with width, height, 8 bits per sample, grey, one sample per pixel, the compression, and
     * {@code more} entries of {tag, type, value[, count]}, sorted by tag; followed by 256 zero bytes of "data".
     */
    private static byte[] tiff(int width, int height, int compression, int[][] more) {
        java.util.TreeMap<Integer, int[]> entries = new java.util.TreeMap<>();
        entries.put(256, new int[] { 256, 4, width });
        entries.put(257, new int[] { 257, 4, height });
        entries.put(258, new int[] { 258, 3, 8 });
        entries.put(259, new int[] { 259, 3, compression });
        entries.put(262, new int[] { 262, 3, 1 });
        entries.put(277, new int[] { 277, 3, 1 });
        for (int[] entry : more) {
            entries.put(entry[0], entry);
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + 2 + entries.size() * 12 + 4 + 256).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8).putShort((short) entries.size());
        for (int[] e : entries.values()) {
            b.putShort((short) e[0]).putShort((short) e[1]).putInt(e.length > 3 ? e[3] : 1);
            if (e[1] == 3) {
                b.putShort((short) e[2]).putShort((short) 0);
            } else {
                b.putInt(e[2]);
            }
        }
        b.putInt(0);
        return b.array();
    }

    /** A 24-bit BMP whose header claims {@code width}x{@code height}, in a file of 100 bytes. */
    public static byte[] bmpClaiming(int width, int height) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(100).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(100).putInt(0).putInt(54);
        b.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) 24).putInt(0).putInt(0).putInt(2835).putInt(2835).putInt(0).putInt(0);
        return b.array();
    }

    private static byte[] ihdr(int width, int height, int depth, int colourType) {
        byte[] ihdr = new byte[13];
        Images.putInt(ihdr, 0, width);
        Images.putInt(ihdr, 4, height);
        ihdr[8] = (byte) depth;
        ihdr[9] = (byte) colourType;
        return ihdr;
    }

    /** Appends the zlib stream of {@code total} bytes made of {@code block} repeated (the last repeat cut short). */
    private static void deflateRepeated(ByteArrayOutputStream out, byte[] block, int blockLength, long total) {
        Deflater deflater = new Deflater(9);
        byte[] buffer = new byte[64 * 1024];
        for (long done = 0; done < total; done += blockLength) {
            deflater.setInput(block, 0, (int) Math.min(blockLength, total - done));
            while (!deflater.needsInput()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
    }
}
