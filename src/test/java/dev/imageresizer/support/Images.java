package dev.imageresizer.support;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import dev.imageresizer.local.ServerClasspath;

/** Image fixtures: the repository's test resources, small synthetic images named by their facts, and for the benchmarks the shared corpus. */
public final class Images {

    /** ../shared from the project root: the benchmarks' larger corpus, never needed by {@code ./mvnw verify}. */
    public static final Path SHARED = ServerClasspath.projectDir().resolve("../shared").normalize();

    /** The test resources: {@code fixtures/} (see its README.md) and {@code external/} (other projects' test images). */
    private static final Path RESOURCES = ServerClasspath.projectDir().resolve("src/test/resources");

    /** The test fixtures in the repository (src/test/resources/fixtures, see its README.md). */
    public static final Path FIXTURES = RESOURCES.resolve("fixtures");

    private Images() {
    }

    /** A file of {@link #FIXTURES}, e.g. {@code photos/rocket.jpg}. */
    public static byte[] fixture(String relative) {
        return read("fixtures/" + relative);
    }

    /** A file of the test resources, e.g. {@code fixtures/photos/rocket.jpg} or {@code external/pillow/hopper.tif}. */
    public static byte[] read(String path) {
        return bytes(RESOURCES.resolve(path));
    }

    /** A file of {@link #SHARED}, for the benchmarks. */
    public static byte[] shared(String relative) {
        return bytes(SHARED.resolve(relative));
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A picture with gradients and shapes (so that orientation and scaling mistakes show), encoded by ImageIO. */
    public static byte[] synthetic(String format, int width, int height, boolean alpha) {
        BufferedImage image = new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(200, 30, 30, alpha ? 0 : 255), width, height, new Color(30, 30, 200)));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.YELLOW);
        g.fillRect(width / 10, height / 10, width / 3, height / 5);
        g.setColor(Color.GREEN);
        g.fillOval(width / 2, height / 2, width / 3, height / 3);
        g.dispose();
        BufferedImage toWrite = image;
        if (format.equals("gif")) {
            toWrite = indexed(image);
        }
        return encode(toWrite, format);
    }

    /** dune.jpg as an uncompressed 8-bit grey BMP (a palette of 256 greys), 1680x1050, 1.8 MB: made, not stored. */
    public static byte[] greyBmp() {
        BufferedImage photo = decode(fixture("photos/dune.jpg"));
        BufferedImage grey = new BufferedImage(photo.getWidth(), photo.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = grey.createGraphics();
        g.drawImage(photo, 0, 0, null);
        g.dispose();
        return encode(grey, "bmp");
    }

    /** dune.jpg stretched to 1920x1280 and stored as an LZW-compressed RGB TIFF: made, not stored. */
    public static byte[] lzwTiff() {
        BufferedImage photo = decode(fixture("photos/dune.jpg"));
        BufferedImage rgb = new BufferedImage(1920, 1280, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(photo, 0, 0, 1920, 1280, null);
        g.dispose();
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (javax.imageio.stream.ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionType("LZW");
            writer.write(null, new javax.imageio.IIOImage(rgb, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    public static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format + " and image type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                throw new IllegalStateException("not decodable by ImageIO");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The image reduced {@code factor} times by area averaging (AWT's own, independent of the code under test). */
    public static BufferedImage shrink(BufferedImage image, int factor) {
        int width = Math.max(1, image.getWidth() / factor);
        int height = Math.max(1, image.getHeight() / factor);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(image.getScaledInstance(width, height, java.awt.Image.SCALE_AREA_AVERAGING), 0, 0, null);
        g.dispose();
        return out;
    }

    /**
     * The mean absolute difference of the RGB channels, 0 to 255; the images must be the same size. Grey pixels count
     * as their stored sample value, as browsers show them (AWT's getRGB would run them through a linear grey colour
     * space and brighten 8-bit grey).
     */
    /** Peak signal-to-noise ratio of b against a over their RGB samples, in dB; infinite when they are equal. */
    public static double psnr(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            throw new IllegalArgumentException(a.getWidth() + "x" + a.getHeight() + " vs " + b.getWidth() + "x" + b.getHeight());
        }
        double squared = 0;
        int[] rowA = new int[a.getWidth()];
        int[] rowB = new int[b.getWidth()];
        for (int y = 0; y < a.getHeight(); y++) {
            a.getRGB(0, y, a.getWidth(), 1, rowA, 0, a.getWidth());
            b.getRGB(0, y, b.getWidth(), 1, rowB, 0, b.getWidth());
            for (int x = 0; x < rowA.length; x++) {
                for (int shift = 0; shift <= 16; shift += 8) {
                    int d = (rowA[x] >> shift & 0xff) - (rowB[x] >> shift & 0xff);
                    squared += d * d;
                }
            }
        }
        double mse = squared / (3.0 * a.getWidth() * a.getHeight());
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }

    public static double meanDifference(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            throw new AssertionError("sizes differ: " + a.getWidth() + "x" + a.getHeight() + " vs " + b.getWidth() + "x" + b.getHeight());
        }
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = displayed(a, x, y);
                int q = displayed(b, x, y);
                sum += Math.abs((p >> 16 & 0xff) - (q >> 16 & 0xff)) + Math.abs((p >> 8 & 0xff) - (q >> 8 & 0xff)) + Math.abs((p & 0xff) - (q & 0xff));
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }

    private static int displayed(BufferedImage image, int x, int y) {
        if (image.getColorModel().getColorSpace().getType() != java.awt.color.ColorSpace.TYPE_GRAY) {
            return image.getRGB(x, y);
        }
        int bits = image.getColorModel().getComponentSize(0);
        int grey = image.getRaster().getSample(x, y, 0) * 255 / ((1 << bits) - 1);
        return grey << 16 | grey << 8 | grey;
    }

    /** A 16-colour palette image whose first colour is transparent (GIF transparency). */
    private static BufferedImage indexed(BufferedImage image) {
        byte[] r = new byte[16];
        byte[] g = new byte[16];
        byte[] b = new byte[16];
        for (int i = 1; i < 16; i++) {
            r[i] = (byte) (i * 17);
            g[i] = (byte) (255 - i * 17);
            b[i] = (byte) (i * 8);
        }
        IndexColorModel palette = new IndexColorModel(4, 16, r, g, b, 0);
        BufferedImage indexed = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_INDEXED, palette);
        Graphics2D graphics = indexed.createGraphics();
        graphics.drawImage(image, 0, 0, null);
        graphics.dispose();
        for (int x = 0; x < image.getWidth() / 4; x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                indexed.getRaster().setSample(x, y, 0, 0);
            }
        }
        return indexed;
    }

    /** A PNG whose header claims {@code width x height} (valid chunks and CRCs) with almost no image data. */
    public static byte[] pngHeaderOnly(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A });
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, width);
        putInt(ihdr, 4, height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 0; // grey
        chunk(out, "IHDR", ihdr);
        chunk(out, "IDAT", new byte[] { 0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01 });
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** {@code png} with an iCCP chunk holding {@code profile} right after its header. */
    public static byte[] withIccProfile(byte[] png, byte[] profile) {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (java.util.zip.DeflaterOutputStream z = new java.util.zip.DeflaterOutputStream(compressed)) {
            z.write(profile);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        data.writeBytes("test profile\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII)); // name, compression 0
        data.writeBytes(compressed.toByteArray());
        return withChunk(png, "iCCP", data.toByteArray());
    }

    /** {@code png} with a chunk of {@code type} holding {@code data} inserted right after its IHDR chunk. */
    public static byte[] withChunk(byte[] png, String type, byte[] data) {
        int afterHeader = 8 + 12 + 13; // signature, IHDR
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, afterHeader);
        chunk(out, type, data);
        out.write(png, afterHeader, png.length - afterHeader);
        return out.toByteArray();
    }

    /** Writes one PNG chunk: length, type, data and CRC. */
    static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] length = new byte[4];
        putInt(length, 0, data.length);
        out.writeBytes(length);
        byte[] typeAndData = new byte[4 + data.length];
        System.arraycopy(type.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, typeAndData, 0, 4);
        System.arraycopy(data, 0, typeAndData, 4, data.length);
        out.writeBytes(typeAndData);
        CRC32 crc = new CRC32();
        crc.update(typeAndData);
        byte[] crcBytes = new byte[4];
        putInt(crcBytes, 0, (int) crc.getValue());
        out.writeBytes(crcBytes);
    }

    static void putInt(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 24);
        b[at + 1] = (byte) (value >>> 16);
        b[at + 2] = (byte) (value >>> 8);
        b[at + 3] = (byte) value;
    }
}
