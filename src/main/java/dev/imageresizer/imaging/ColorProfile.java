package dev.imageresizer.imaging;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ColorConvertOp;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

import com.twelvemonkeys.imageio.color.ColorProfiles;
import com.twelvemonkeys.imageio.color.ColorSpaces;

/**
 * A JPEG's embedded RGB colour profile, for the libjpeg-turbo path (and a HEIF/AVIF's, for libheif's): renditions are stored without metadata, so their
 * pixels must be sRGB. An Adobe RGB or Display P3 photo decoded without conversion comes out dull and shifted (4 dB
 * from the converted image on the corpus's Adobe RGB {@code s_rocket.jpg}); ImageIO's JPEG reader (TwelveMonkeys)
 * converts by itself, this does the same after libjpeg-turbo's scaled decode, on the much smaller image.
 */
final class ColorProfile {

    private static final byte[] ICC_MARKER = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);
    private static final int APP2 = 0xE2;
    private static final int SOS = 0xDA;

    private ColorProfile() {
    }

    /**
     * The embedded profile when it is an RGB profile other than sRGB, i.e. when the decoded pixels need converting;
     * empty when there is none, it is sRGB, or it cannot be read (a damaged profile never costs the image: the pixels
     * are then used as they are, as browsers do).
     */
    static Optional<ICC_ColorSpace> nonSrgb(byte[] jpeg) {
        byte[] bytes = iccBytes(jpeg);
        if (bytes == null) {
            return Optional.empty();
        }
        return nonSrgbProfile(bytes);
    }

    /** The profile's colour space when it is an RGB space other than sRGB; empty when it is not, or cannot be read. */
    static Optional<ICC_ColorSpace> nonSrgbProfile(byte[] bytes) {
        try {
            ICC_Profile profile = ColorProfiles.createProfile(bytes);
            if (profile.getColorSpaceType() != ColorSpace.TYPE_RGB || ColorProfiles.isCS_sRGB(profile) || describesSrgb(profile)) {
                return Optional.empty();
            }
            return Optional.of(ColorSpaces.createColorSpace(profile));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * sRGB profiles other than the JDK's own (HP's "IEC sRGB", "sRGB IEC61966-2.1", lcms' and Elle Stone's) name it in
     * their description; converting between them would change nothing but cost time.
     */
    private static boolean describesSrgb(ICC_Profile profile) {
        byte[] description = profile.getData(ICC_Profile.icSigProfileDescriptionTag);
        // 'desc' (ICC v2) holds ASCII, 'mluc' (v4) UTF-16BE: dropping the zero bytes reads both
        String text = description == null ? "" : new String(description, StandardCharsets.ISO_8859_1).replace("\0", "").toLowerCase(java.util.Locale.ROOT);
        return text.contains("srgb") && !text.contains("linear"); // "linear sRGB" (the JDK's own) has sRGB's primaries only
    }

    /** Converts an 8-bit BGR image whose samples are in {@code space} to sRGB. */
    static BufferedImage toSrgb(BufferedImage bgr, ICC_ColorSpace space) {
        ComponentColorModel model = new ComponentColorModel(space, false, false, Transparency.OPAQUE, DataBuffer.TYPE_BYTE);
        BufferedImage source = new BufferedImage(model, bgr.getRaster(), false, null);
        BufferedImage srgb = new BufferedImage(bgr.getWidth(), bgr.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        new ColorConvertOp(null).filter(source, srgb);
        return srgb;
    }

    /**
     * As {@link #toSrgb}, for an 8-bit {@code 3BYTE_BGR} or {@code 4BYTE_ABGR} image: the colour samples are converted,
     * the alpha samples kept as they are.
     */
    static BufferedImage toSrgbKeepingAlpha(BufferedImage image, ICC_ColorSpace space) {
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR) {
            return toSrgb(image, space);
        }
        if (image.getType() != BufferedImage.TYPE_4BYTE_ABGR) {
            throw new IllegalArgumentException("8-bit BGR or ABGR expected, not type " + image.getType());
        }
        byte[] abgr = ((java.awt.image.DataBufferByte) image.getRaster().getDataBuffer()).getData();
        BufferedImage colour = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((java.awt.image.DataBufferByte) colour.getRaster().getDataBuffer()).getData();
        for (int i = 0, j = 0; j < bgr.length; i += 4, j += 3) {
            bgr[j] = abgr[i + 1];
            bgr[j + 1] = abgr[i + 2];
            bgr[j + 2] = abgr[i + 3];
        }
        byte[] converted = ((java.awt.image.DataBufferByte) toSrgb(colour, space).getRaster().getDataBuffer()).getData();
        for (int i = 0, j = 0; j < converted.length; i += 4, j += 3) {
            abgr[i + 1] = converted[j];
            abgr[i + 2] = converted[j + 1];
            abgr[i + 3] = converted[j + 2];
        }
        return image;
    }

    /**
     * The profile's bytes from the APP2 {@code ICC_PROFILE} segments before the first scan, joined in their sequence
     * order; null when there are none or the chunks are inconsistent.
     */
    static byte[] iccBytes(byte[] jpeg) {
        byte[][] chunks = null;
        int at = 2;
        while (at + 4 <= jpeg.length && (jpeg[at] & 0xFF) == 0xFF) {
            int marker = jpeg[at + 1] & 0xFF;
            if (marker == 0xFF) {
                at++;
                continue;
            }
            if (marker == SOS || marker == 0xD9) {
                break;
            }
            int length = (jpeg[at + 2] & 0xFF) << 8 | jpeg[at + 3] & 0xFF;
            int body = at + 4;
            int end = at + 2 + length;
            if (length < 2 || end > jpeg.length) {
                break;
            }
            if (marker == APP2 && end - body > ICC_MARKER.length + 2
                    && Arrays.equals(jpeg, body, body + ICC_MARKER.length, ICC_MARKER, 0, ICC_MARKER.length)) {
                int sequence = jpeg[body + ICC_MARKER.length] & 0xFF;
                int count = jpeg[body + ICC_MARKER.length + 1] & 0xFF;
                if (chunks == null) {
                    chunks = new byte[count][];
                }
                if (count != chunks.length || sequence < 1 || sequence > count) {
                    return null;
                }
                chunks[sequence - 1] = Arrays.copyOfRange(jpeg, body + ICC_MARKER.length + 2, end);
            }
            at = end;
        }
        if (chunks == null || chunks.length == 0) {
            return null;
        }
        ByteArrayOutputStream profile = new ByteArrayOutputStream();
        for (byte[] chunk : chunks) {
            if (chunk == null) {
                return null;
            }
            profile.writeBytes(chunk);
        }
        return profile.toByteArray();
    }
}
