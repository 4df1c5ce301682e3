package dev.imageresizer.imaging;

import java.nio.charset.StandardCharsets;

import dev.imageresizer.failure.Failure;
import dev.imageresizer.failure.Failure.Reason;

/** The image formats we decode, identified by their magic bytes; names and content types are never trusted. */
public enum ImageFormat {
    JPEG("jpeg", "image/jpeg", "jpg"),
    PNG("png", "image/png", "png"),
    GIF("gif", "image/gif", "gif"),
    BMP("bmp", "image/bmp", "bmp"),
    TIFF("tiff", "image/tiff", "tif"),
    /** Read, and written for renditions of format {@code webp} ({@link WebP}); renditions {@code same} of a WebP are JPEG, or PNG where it has alpha. */
    WEBP("webp", "image/webp", "webp"),
    /** HEIF, mostly HEIC (HEVC-coded, as iPhones write it); input only, through libheif ({@link Heif}). */
    HEIF("heif", "image/heic", "heic"),
    /** AV1-coded HEIF; read and written through libheif ({@link Heif}). */
    AVIF("avif", "image/avif", "avif");

    /** What the refusal of an unknown format names as supported. */
    static final String SUPPORTED = "JPEG, PNG, GIF, BMP, TIFF, WebP, HEIC/HEIF and AVIF";

    /** The ImageIO format name. */
    public final String imageIoName;
    public final String contentType;
    /** The file extension for keys of this format, without the dot. */
    public final String extension;

    ImageFormat(String imageIoName, String contentType, String extension) {
        this.imageIoName = imageIoName;
        this.contentType = contentType;
        this.extension = extension;
    }

    /**
     * Identifies the format from the first bytes.
     *
     * @throws Failure.Rejected {@link Reason#NOT_AN_IMAGE}, {@link Reason#UNSUPPORTED} (an image format we do not decode)
     *         or {@link Reason#CORRUPT} (a damaged PNG signature)
     */
    public static ImageFormat sniff(byte[] b) {
        if (b.length == 0) {
            throw Failure.rejected(Reason.NOT_AN_IMAGE, "not an image: the object is empty");
        }
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
            return JPEG;
        }
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return PNG;
        }
        if (ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a")) {
            return GIF;
        }
        if (ascii(b, 0, "II*\0") || ascii(b, 0, "MM\0*") || ascii(b, 0, "II+\0") || ascii(b, 0, "MM\0+")) {
            return TIFF; // classic and BigTIFF
        }
        if (ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) {
            return WEBP;
        }
        ImageFormat heif = heifBrand(b);
        if (heif != null) {
            return heif;
        }
        if (ascii(b, 0, "BM") && b.length >= 18) {
            int headerSize = b[14] & 0xff | (b[15] & 0xff) << 8 | (b[16] & 0xff) << 16 | (b[17] & 0xff) << 24;
            if (isBmpHeaderSize(headerSize)) {
                return BMP;
            }
            if (b[6] == 0 && b[7] == 0 && b[8] == 0 && b[9] == 0) { // the reserved fields of a BMP file header
                throw Failure.rejected(Reason.CORRUPT, "corrupt BMP: no BMP header is " + Integer.toUnsignedString(headerSize) + " bytes long");
            }
        }
        if (ascii(b, 12, "IHDR") || ascii(b, 13, "IHDR") || ascii(b, 1, "PNG")) {
            throw Failure.rejected(Reason.CORRUPT, "corrupt PNG: the 8-byte PNG signature is damaged");
        }
        String unsupported = unsupportedImage(b);
        if (unsupported != null) {
            throw Failure.rejected(Reason.UNSUPPORTED, "unsupported image format " + unsupported + "; supported are " + SUPPORTED);
        }
        throw Failure.rejected(Reason.NOT_AN_IMAGE, "not an image: the content matches no supported format (" + SUPPORTED + ")");
    }

    /**
     * AVIF or HEIF from the {@code ftyp} box: its major brand ({@code avif}, {@code avis}; {@code heic}, {@code heix}
     * and the other HEVC brands), or where that is a generic one ({@code mif1}, {@code msf1}, {@code miaf}, ...) its
     * compatible brands, an AV1 brand deciding for AVIF. Null for other ISO media files (MP4, QuickTime, ...).
     */
    private static ImageFormat heifBrand(byte[] b) {
        if (!ascii(b, 4, "ftyp") || b.length < 12) {
            return null;
        }
        String major = new String(b, 8, 4, StandardCharsets.ISO_8859_1);
        if (major.equals("avif") || major.equals("avis")) {
            return AVIF;
        }
        if (HEVC_BRANDS.contains(major)) {
            return HEIF;
        }
        long boxSize = (b[0] & 0xffL) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | b[3] & 0xff;
        int end = (int) Math.min(b.length, boxSize);
        ImageFormat format = major.equals("mif1") || major.equals("msf1") ? HEIF : null;
        for (int at = 16; at + 4 <= end; at += 4) {
            String brand = new String(b, at, 4, StandardCharsets.ISO_8859_1);
            if (brand.equals("avif") || brand.equals("avis")) {
                return AVIF;
            }
            if (HEVC_BRANDS.contains(brand) || brand.equals("mif1") || brand.equals("msf1")) {
                format = HEIF;
            }
        }
        return format;
    }

    private static final java.util.Set<String> HEVC_BRANDS = java.util.Set.of("heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs");

    private static String unsupportedImage(byte[] b) {
        if (startsWith(b, 0, 0x00, 0x00, 0x00, 0x0C, 'j', 'P', ' ', ' ') || startsWith(b, 0, 0xFF, 0x4F, 0xFF, 0x51)) {
            return "JPEG 2000";
        }
        if (startsWith(b, 0, 0xFF, 0x0A) || startsWith(b, 0, 0x00, 0x00, 0x00, 0x0C, 'J', 'X', 'L', ' ')) {
            return "JPEG XL";
        }
        if (ascii(b, 0, "8BPS")) {
            return "PSD";
        }
        if (startsWith(b, 0, 0x00, 0x00, 0x01, 0x00)) {
            return "ICO";
        }
        if (startsWith(b, 0, 0x00, 0x00, 0x02, 0x00)) {
            return "CUR";
        }
        if (ascii(b, 0, "#?RADIANCE") || ascii(b, 0, "#?RGBE")) {
            return "Radiance HDR";
        }
        if (b.length >= 3 && b[0] == 'P' && b[1] >= '1' && b[1] <= '7' && Character.isWhitespace(b[2])) {
            return "PNM (PBM/PGM/PPM/PAM)";
        }
        if (ascii(b, 0, "qoif")) {
            return "QOI";
        }
        if (startsWith(b, 0, 0x76, 0x2F, 0x31, 0x01)) {
            return "OpenEXR";
        }
        if (ascii(b, 0, "DDS ")) {
            return "DDS";
        }
        if (ascii(b, 0, "farbfeld")) {
            return "farbfeld";
        }
        if (ascii(b, 0, "gimp xcf")) {
            return "GIMP XCF";
        }
        if (ascii(b, 0, "icns")) {
            return "ICNS";
        }
        if (ascii(b, 0, "%PDF-")) {
            return "PDF";
        }
        if (ascii(b, 0, "II\u00bc")) {
            return "JPEG XR";
        }
        String head = new String(b, 0, Math.min(b.length, 256), StandardCharsets.ISO_8859_1).stripLeading();
        if (head.startsWith("<svg") || (head.startsWith("<?xml") && head.contains("<svg"))) {
            return "SVG";
        }
        return null;
    }

    private static boolean isBmpHeaderSize(int size) {
        return size == 12 || size == 16 || size == 40 || size == 52 || size == 56 || size == 64 || size == 108 || size == 124;
    }

    private static boolean startsWith(byte[] b, int offset, int... expected) {
        if (b.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((b[offset + i] & 0xff) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean ascii(byte[] b, int offset, String expected) {
        return startsWith(b, offset, expected.chars().toArray());
    }
}
