package dev.imageresizer.event;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import dev.imageresizer.failure.Failure;
import dev.imageresizer.failure.Failure.Reason;

/**
 * The encoding of object keys in bucket notifications: Go's {@code url.QueryEscape}, which MinIO applies to
 * {@code Records[].s3.object.key} (AWS S3 does the same form encoding). Only {@code A-Z a-z 0-9 - _ . ~} stay as they
 * are, a space becomes {@code +}, every other UTF-8 byte becomes {@code %XX} (so {@code /} is {@code %2F} and {@code +}
 * is {@code %2B}).
 */
public final class KeyEncoding {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private KeyEncoding() {
    }

    /**
     * Decodes a key exactly once, as Go's {@code url.QueryUnescape} does, and checks it is safe to build rendition keys
     * from (see {@link #requireSafe}).
     *
     * @throws Failure.Rejected ({@link Reason#BAD_EVENT}) when the key is not form-encoded or not UTF-8 (decoding it
     *         loosely would turn bad bytes into U+FFFD and name another object); ({@link Reason#UNSAFE_KEY}) when it is
     *         not safe
     */
    public static String decode(String encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '+') {
                bytes.write(' ');
            } else if (c == '%') {
                int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
                int low = high >= 0 ? Character.digit(encoded.charAt(i + 2), 16) : -1;
                if (low < 0) {
                    throw Failure.rejected(Reason.BAD_EVENT, "object key is not form-encoded: " + UntrustedText.printable(encoded));
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        String key;
        try {
            key = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw Failure.rejected(Reason.BAD_EVENT, "object key is not valid UTF-8: " + UntrustedText.printable(encoded), e);
        }
        return requireSafe(key);
    }

    /**
     * Refuses keys whose renditions could end up elsewhere than {@code <prefix><rendition>/<key>}: a {@code .} or
     * {@code ..} segment (stores and tools that normalise paths would resolve it out of the rendition's folder; MinIO
     * refuses such names itself) and control characters such as NUL (which file-backed stores and logs mishandle).
     */
    public static String requireSafe(String key) {
        for (String segment : key.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw Failure.rejected(Reason.UNSAFE_KEY, "unsafe object key: it has a '" + segment + "' segment: " + encode(key));
            }
        }
        if (key.chars().anyMatch(c -> c < 0x20 || c == 0x7F)) {
            throw Failure.rejected(Reason.UNSAFE_KEY, "unsafe object key: it has a control character: " + encode(key));
        }
        return key;
    }

    /** Encodes a key byte for byte as Go's {@code url.QueryEscape} does. */
    public static String encode(String key) {
        StringBuilder out = new StringBuilder(key.length() + 16);
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append((char) c);
            } else if (c == ' ') {
                out.append('+');
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }
}
