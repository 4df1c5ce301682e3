package dev.imageresizer.event;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import dev.imageresizer.pipeline.Failure;
import dev.imageresizer.pipeline.Failure.Reason;

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

    /** Decodes a key exactly once, as Go's {@code url.QueryUnescape} does. */
    public static String decode(String encoded) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Failure.rejected(Reason.BAD_EVENT, "object key is not form-encoded: " + encoded, e);
        }
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
