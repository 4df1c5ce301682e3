package dev.imageresizer.storage;

import java.util.Objects;
import java.util.Optional;

/**
 * An object's entity tag, as the store names one version of its content. S3 writes it quoted in the {@code ETag}
 * header and in listings ({@code "9b2c…"}), MinIO's notifications unquoted or quoted, and a proxy that compresses a
 * response marks it weak ({@code W/"9b2c…"}); all of these are the same tag. The value is the tag without quotes or weak
 * marker, which is what renditions record as {@code source-etag} and announcements as {@code etag}. A multipart upload's
 * tag ({@code …-9}) is opaque like any other: never a checksum to verify.
 *
 * @param value the tag without quotes, never empty
 */
public record ETag(String value) {

    public ETag {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.startsWith("\"") || value.endsWith("\"")) {
            throw new IllegalArgumentException("not an ETag value (empty or quoted; ETag.of reads a quoted one): " + value);
        }
    }

    /**
     * The tag of a header, listing or notification value: surrounding whitespace, a weak marker {@code W/} and one pair
     * of surrounding quotes are removed.
     *
     * @throws IllegalArgumentException when nothing is left
     */
    public static ETag of(String raw) {
        return parse(raw).orElseThrow(() -> new IllegalArgumentException("no ETag in " + (raw == null ? "null" : "'" + raw + "'")));
    }

    /** The tag of a value that may be missing: empty for {@code null}, blank or {@code ""}. */
    public static Optional<ETag> parse(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String tag = raw.strip();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
            tag = tag.substring(1, tag.length() - 1);
        }
        return tag.isEmpty() ? Optional.empty() : Optional.of(new ETag(tag));
    }

    /** The value, as logs and messages show it. */
    @Override
    public String toString() {
        return value;
    }
}
