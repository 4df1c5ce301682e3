package dev.imageresizer.imaging;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import dev.imageresizer.failure.Failure;
import dev.imageresizer.failure.Failure.Reason;

/**
 * Checks a PNG's chunk structure before it reaches a decoder: every chunk inside the file with a valid CRC, a valid
 * IHDR first, a PLTE for palette images, at least one IDAT, and IEND. The JDK's PNG reader skips CRCs and accepts some
 * invalid headers, so damaged files would otherwise become wrong pixels instead of a clear rejection.
 */
final class PngStructure {

    private static final int SIGNATURE_LENGTH = 8;
    private static final int BUFFER = 64 * 1024;

    private PngStructure() {
    }

    /**
     * Reads the chunks in one pass, holding at most one buffer of them: a PNG may be a large file on disk.
     *
     * @param png the whole file, from its signature
     * @param size the file's length in bytes
     * @return whether the image has transparency: an alpha channel (colour types 4 and 6) or a tRNS chunk
     */
    static boolean verify(InputStream png, long size) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(png, BUFFER));
        in.skipNBytes(SIGNATURE_LENGTH);
        long offset = SIGNATURE_LENGTH;
        boolean first = true;
        boolean palette = false;
        boolean alpha = false;
        boolean sawPalette = false;
        boolean sawData = false;
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[BUFFER];
        while (true) {
            if (offset + 12 > size) {
                throw corrupt("truncated: the file ends before the IEND chunk");
            }
            long length = Integer.toUnsignedLong(in.readInt());
            byte[] typeBytes = in.readNBytes(4);
            String type = new String(typeBytes, StandardCharsets.ISO_8859_1);
            if (!type.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                throw corrupt("invalid chunk type at byte " + offset);
            }
            if (length > Integer.MAX_VALUE || offset + 12 + length > size) {
                throw corrupt("truncated: chunk " + type + " claims " + length + " bytes past the end of the file");
            }
            crc.reset();
            crc.update(typeBytes);
            byte[] header = null;
            if (first) {
                if (!type.equals("IHDR") || length != 13) {
                    throw corrupt("the first chunk is " + type + ", not a 13-byte IHDR");
                }
                header = in.readNBytes(13);
                crc.update(header);
            } else {
                for (long left = length; left > 0;) {
                    int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (read < 0) {
                        throw corrupt("truncated: the file ends inside chunk " + type);
                    }
                    crc.update(buffer, 0, read);
                    left -= read;
                }
            }
            if ((int) crc.getValue() != in.readInt()) {
                throw corrupt("CRC mismatch in chunk " + type);
            }
            if (first) {
                int colourType = checkHeader(header, 0);
                palette = colourType == 3;
                alpha = colourType == 4 || colourType == 6;
                first = false;
            } else if (type.equals("IHDR")) {
                throw corrupt("a second IHDR chunk");
            } else if (type.equals("PLTE")) {
                sawPalette = true;
            } else if (type.equals("tRNS")) {
                alpha = true;
            } else if (type.equals("IDAT")) {
                if (palette && !sawPalette) {
                    throw corrupt("palette image without a PLTE chunk before its image data");
                }
                sawData = true;
            } else if (type.equals("IEND")) {
                if (!sawData) {
                    throw corrupt("no IDAT chunk: the file holds no image data");
                }
                return alpha;
            }
            offset += 12 + length;
        }
    }

    /** @return the colour type */
    private static int checkHeader(byte[] png, int at) {
        int width = readInt(png, at);
        int height = readInt(png, at + 4);
        int depth = png[at + 8] & 0xff;
        int colourType = png[at + 9] & 0xff;
        if (width <= 0 || height <= 0) {
            throw corrupt("invalid size " + Integer.toUnsignedString(width) + "x" + Integer.toUnsignedString(height) + " in IHDR");
        }
        boolean validDepth = switch (colourType) {
            case 0 -> depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
            case 3 -> depth == 1 || depth == 2 || depth == 4 || depth == 8;
            case 2, 4, 6 -> depth == 8 || depth == 16;
            default -> throw corrupt("invalid colour type " + colourType + " in IHDR");
        };
        if (!validDepth) {
            throw corrupt("invalid bit depth " + depth + " for colour type " + colourType + " in IHDR");
        }
        if (png[at + 10] != 0 || png[at + 11] != 0 || (png[at + 12] & 0xff) > 1) {
            throw corrupt("invalid compression, filter or interlace method in IHDR");
        }
        return colourType;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static Failure.Rejected corrupt(String detail) {
        return Failure.rejected(Reason.CORRUPT, "corrupt PNG: " + detail);
    }
}
