package dev.imageresizer.storage;

import dev.imageresizer.imaging.ImageFormat;

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
        return sourceFormat == outputFormat ? base : base + "." + outputFormat.extension;
    }

    /** The key of a rendition in the original's own format. */
    public String key(String rendition, String sourceBucket, String sourceKey) {
        return prefix + rendition + "/" + (includeBucket ? sourceBucket + "/" : "") + sourceKey;
    }
}
