package dev.imageresizer.imaging;

import java.awt.color.ICC_ColorSpace;
import java.awt.image.BufferedImage;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;


/**
 * A PNG's embedded ICC profile (its {@code iCCP} chunk): renditions are sRGB, so pixels in another RGB space (Adobe
 * RGB, Display P3, ...) are converted, as browsers show them. A profile that inflates past 4 MB, cannot be read, is
 * sRGB or is not RGB is ignored: the pixels are then used as they are.
 */
final class PngProfile {

    private static final int MAX_PROFILE = 4 << 20;

    private PngProfile() {
    }

    /**
     * The embedded profile of a PNG, when it is an RGB space other than sRGB: found by walking the chunks before the
     * image data (the decoder itself is told to skip metadata, so that text chunks cost nothing).
     */
    static Optional<ICC_ColorSpace> nonSrgb(ImageData data) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(data.open()))) {
            in.skipNBytes(8);
            while (true) {
                int length = in.readInt();
                String type = new String(in.readNBytes(4), StandardCharsets.ISO_8859_1);
                if (type.equals("IDAT") || type.equals("IEND") || length < 0) {
                    return Optional.empty();
                }
                if (type.equals("iCCP")) {
                    if (length > MAX_PROFILE) {
                        return Optional.empty();
                    }
                    byte[] chunk = in.readNBytes(length);
                    int name = 0;
                    while (name < chunk.length && chunk[name] != 0) {
                        name++;
                    }
                    return name + 2 >= chunk.length ? Optional.empty()
                            : inflate(java.util.Arrays.copyOfRange(chunk, name + 2, chunk.length)).flatMap(ColorProfile::nonSrgbProfile);
                }
                in.skipNBytes(length + 4L); // and the CRC (checked before decoding)
            }
        } catch (IOException e) {
            return Optional.empty(); // the structure was verified already: the decoder will judge the rest
        }
    }

    /** {@code image} (one of the decoder's sRGB types) with its colour samples converted from {@code space} to sRGB. */
    static BufferedImage toSrgb(BufferedImage image, ICC_ColorSpace space) {
        int width = image.getWidth();
        int height = image.getHeight();
        BufferedImage bgr = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            image.getRGB(0, y, width, 1, row, 0, width); // the colour without its alpha, which is put back below
            bgr.setRGB(0, y, width, 1, row, 0, width);
        }
        BufferedImage converted = ColorProfile.toSrgb(bgr, space);
        if (!image.getColorModel().hasAlpha()) {
            return converted;
        }
        BufferedImage result = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        int[] argb = new int[width];
        int[] rgb = new int[width];
        for (int y = 0; y < height; y++) {
            image.getRGB(0, y, width, 1, argb, 0, width);
            converted.getRGB(0, y, width, 1, rgb, 0, width);
            for (int x = 0; x < width; x++) {
                argb[x] = argb[x] & 0xFF000000 | rgb[x] & 0x00FFFFFF;
            }
            result.setRGB(0, y, width, 1, argb, 0, width);
        }
        return result;
    }

    private static Optional<byte[]> inflate(byte[] compressed) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[16 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return Optional.empty();
                }
                out.write(buffer, 0, n);
                if (out.size() > MAX_PROFILE) {
                    return Optional.empty();
                }
            }
            return Optional.of(out.toByteArray());
        } catch (DataFormatException e) {
            return Optional.empty();
        } finally {
            inflater.end();
        }
    }
}
