package dev.imageresizer.imaging;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteOrder;
import java.util.Map;

import javax.imageio.stream.ImageInputStream;

import dev.imageresizer.failure.Failure;
import dev.imageresizer.failure.Failure.Reason;

/**
 * Reads the first directory of a TIFF (classic or BigTIFF) without decoding anything, and refuses before any decode
 * what the decoder cannot do or what would make it allocate far more than the image: a compression it lacks (named,
 * e.g. "LZMA"), a tile larger than the pixel limit, a strip table larger than the whole file.
 */
final class TiffStructure {

    /** Compressions the TIFF reader decodes. */
    private static final Map<Integer, String> DECODED = Map.ofEntries(Map.entry(1, "none"), Map.entry(2, "CCITT RLE"),
            Map.entry(3, "CCITT T.4"), Map.entry(4, "CCITT T.6"), Map.entry(5, "LZW"), Map.entry(6, "old-style JPEG"),
            Map.entry(7, "JPEG"), Map.entry(8, "Deflate"), Map.entry(32773, "PackBits"), Map.entry(32946, "Deflate"),
            Map.entry(32809, "ThunderScan"));

    /** Compressions we recognise but do not decode, by the names libtiff gives them. */
    private static final Map<Integer, String> NAMED = Map.ofEntries(Map.entry(9, "JBIG"), Map.entry(10, "JBIG2"),
            Map.entry(34661, "JBIG"), Map.entry(32908, "Pixar FILM"), Map.entry(32909, "Pixar log"),
            Map.entry(34676, "SGI LogL"), Map.entry(34677, "SGI LogLuv"), Map.entry(34712, "JPEG 2000"),
            Map.entry(34887, "LERC"), Map.entry(34925, "LZMA"), Map.entry(50000, "Zstandard"), Map.entry(34926, "Zstandard"),
            Map.entry(50001, "WebP"), Map.entry(34927, "WebP"), Map.entry(50002, "JPEG XL"), Map.entry(52546, "JPEG XL"),
            Map.entry(32766, "NeXT"), Map.entry(32771, "CCITT RLE word"), Map.entry(34892, "lossy JPEG (DNG)"));

    private static final int MAX_ENTRIES = 4096;

    private TiffStructure() {
    }

    /**
     * @param maxPixels the pixel limit, which also bounds one tile (the decoder holds a tile at a time)
     * @throws Failure.Rejected {@link Reason#UNSUPPORTED} for a compression the decoder lacks, {@link Reason#TOO_LARGE}
     *         for a tile over the limit, {@link Reason#CORRUPT} for a directory that cannot be read or strips that lie
     */
    static void verify(ImageData data, long maxPixels) {
        try (ImageInputStream in = data.imageStream()) {
            verify(in, data.size(), maxPixels);
        } catch (EOFException e) {
            throw Failure.rejected(Reason.CORRUPT, "corrupt TIFF: the first directory is cut short");
        } catch (IOException e) {
            throw Failure.unavailable("cannot read the original's copy", e);
        }
    }

    private static void verify(ImageInputStream in, long size, long maxPixels) throws IOException {
        in.setByteOrder(in.readUnsignedByte() == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        in.readUnsignedByte();
        boolean big = in.readUnsignedShort() == 43;
        if (big && (in.readUnsignedShort() != 8 || in.readUnsignedShort() != 0)) {
            throw Failure.rejected(Reason.CORRUPT, "corrupt TIFF: a BigTIFF header with an offset size other than 8");
        }
        long ifd = big ? in.readLong() : in.readUnsignedInt();
        if (ifd < 8 || ifd >= size) { // a BigTIFF offset beyond 2^63 reads as negative
            throw Failure.rejected(Reason.CORRUPT, "corrupt TIFF: the first directory lies outside the file");
        }
        in.seek(ifd);
        long entries = big ? in.readLong() : in.readUnsignedShort();
        if (entries <= 0 || entries > MAX_ENTRIES) {
            throw Failure.rejected(Reason.CORRUPT, "corrupt TIFF: the first directory has " + entries + " entries");
        }
        long entrySize = big ? 20 : 12;
        long first = in.getStreamPosition();
        long compression = 1;
        long tileWidth = 0;
        long tileLength = 0;
        for (long i = 0; i < entries; i++) {
            in.seek(first + i * entrySize);
            int tag = in.readUnsignedShort();
            int type = in.readUnsignedShort();
            long count = big ? in.readLong() : in.readUnsignedInt();
            switch (tag) {
                case 259 -> compression = value(in, type);
                case 322 -> tileWidth = value(in, type);
                case 323 -> tileLength = value(in, type);
                case 279, 325 -> verifyTable(in, type, count, big, size);
                default -> {
                }
            }
        }
        if (!DECODED.containsKey((int) compression)) {
            String name = NAMED.getOrDefault((int) compression, "number " + compression);
            throw Failure.rejected(Reason.UNSUPPORTED, "unsupported: TIFF compression " + name);
        }
        if (tileWidth * tileLength > maxPixels) {
            throw Failure.rejected(Reason.TOO_LARGE, String.format("image too large: TIFF tiles of %dx%d are over the limit of %.1f megapixels",
                    tileWidth, tileLength, maxPixels / 1e6));
        }
    }

    /** The first value of a SHORT, LONG or LONG8 entry whose value is held in the entry. */
    private static long value(ImageInputStream in, int type) throws IOException {
        return switch (type) {
            case 3 -> in.readUnsignedShort();
            case 4 -> in.readUnsignedInt();
            case 16 -> in.readLong();
            default -> 0;
        };
    }

    /**
     * The strip or tile byte counts must fit in the file: a count of billions would make the reader allocate its tables.
     * (The counts themselves may be wrong, libtiff and the reader both cope with that.)
     */
    private static void verifyTable(ImageInputStream in, int type, long count, boolean big, long size) throws IOException {
        int width = switch (type) {
            case 3 -> 2;
            case 4 -> 4;
            case 16 -> 8;
            default -> 0;
        };
        if (count < 0 || count * width > size) {
            throw Failure.rejected(Reason.CORRUPT, "corrupt TIFF: " + count + " strips or tiles do not fit in a file of " + size + " bytes");
        }
        if (count * width > (big ? 8 : 4)) {
            long offset = big ? in.readLong() : in.readUnsignedInt();
            if (offset < 0 || offset + count * width > size) {
                throw Failure.rejected(Reason.CORRUPT, "corrupt TIFF: the strip table lies outside the file");
            }
        }
    }
}
