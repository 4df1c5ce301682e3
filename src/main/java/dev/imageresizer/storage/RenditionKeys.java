package dev.imageresizer.storage;

import java.nio.charset.StandardCharsets;

import dev.imageresizer.imaging.ImageFormat;
import dev.imageresizer.pipeline.Failure;
import dev.imageresizer.pipeline.Failure.Reason;

/**
 * Where a rendition is stored: {@code <prefix><rendition>/<original key>}, with {@code .<ext>} appended when the
 * rendition's format differs from the original's (so {@code a.png} and {@code a.jpg} never meet). With several source
 * buckets the bucket name comes after the rendition name, so equal keys in different buckets never meet either.
 *
 * @param prefix the destination prefix, empty for none
 * @param includeBucket whether keys carry the source bucket (when there is more than one)
 */
public record RenditionKeys(String prefix, boolean includeBucket) {

    public String key(String rendition, String sourceBucket, String sourceKey, ImageFormat sourceFormat, ImageFormat outputFormat) {
        String base = key(rendition, sourceBucket, sourceKey);
        return sourceFormat == outputFormat ? base : checked(base + "." + outputFormat.extension);
    }

    /** S3's (and MinIO's) limit on a key, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;

    /**
     * The key of a rendition in the original's own format.
     *
     * @throws Failure.Rejected ({@link Reason#UNSAFE_KEY}) when it would exceed S3's 1024-byte limit: the store would
     *         refuse it on every retry
     */
    public String key(String rendition, String sourceBucket, String sourceKey) {
        return checked(prefix + rendition + "/" + (includeBucket ? sourceBucket + "/" : "") + sourceKey);
    }

    private static String checked(String key) {
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_KEY_BYTES) {
            throw Failure.rejected(Reason.UNSAFE_KEY, "object key too long: its rendition key would be " + bytes
                    + " bytes, S3 allows " + MAX_KEY_BYTES);
        }
        return key;
    }
}
