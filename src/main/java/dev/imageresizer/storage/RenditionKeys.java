package dev.imageresizer.storage;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.imageresizer.imaging.ImageFormat;
import dev.imageresizer.failure.Failure;
import dev.imageresizer.failure.Failure.Reason;

/**
 * Where a rendition is stored. By default {@code <prefix><rendition>/<original key>}, with {@code .<ext>} appended when
 * the rendition's format differs from the original's (so {@code a.png} and {@code a.jpg} never meet); with several
 * source buckets the bucket name comes after the rendition name, so equal keys in different buckets never meet either.
 * A template ({@code resizer.destination.key-template}) names them otherwise, after the prefix, from {@code {rendition}},
 * {@code {width}} and {@code {height}} (the rendition's box), {@code {bucket}}, {@code {key}}, {@code {dir}} (the key's
 * folder, with its trailing slash, or nothing), {@code {name}} (the file name without extension) and {@code {ext}} (the
 * rendition's extension), e.g. Firebase's {@code {dir}{name}_{width}x{height}.{ext}}.
 *
 * @param prefix the destination prefix, empty for none
 * @param includeBucket whether default keys carry the source bucket (when there is more than one)
 * @param template the key template, if any
 */
public record RenditionKeys(String prefix, boolean includeBucket, Optional<String> template) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\w+)\\}");

    /** S3's (and MinIO's) limit on a key, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;

    public RenditionKeys(String prefix, boolean includeBucket) {
        this(prefix, includeBucket, Optional.empty());
    }

    /**
     * The key of a rendition.
     *
     * @throws Failure.Rejected ({@link Reason#UNSAFE_KEY}) when it would exceed S3's 1024-byte limit: the store would
     *         refuse it on every retry
     */
    public String key(String rendition, int width, int height, String sourceBucket, String sourceKey, ImageFormat sourceFormat,
            ImageFormat outputFormat) {
        if (template.isEmpty()) {
            String base = folderKey(rendition, sourceBucket, sourceKey);
            return sourceFormat == outputFormat ? base : checked(base + "." + outputFormat.extension);
        }
        return checked(prefix + expand(template.get(), rendition, width, height, sourceBucket, sourceKey, outputFormat.extension,
                sourceFormat != outputFormat));
    }

    /**
     * The key a rendition has when its format is the original's, guessed before the original is inspected: with a
     * template the extension is the key's own (a key without one, or with another spelling such as {@code .jpeg},
     * only costs the shortcut for renditions already stored).
     */
    public String keyInOwnFormat(String rendition, int width, int height, String sourceBucket, String sourceKey) {
        if (template.isEmpty()) {
            return folderKey(rendition, sourceBucket, sourceKey);
        }
        String name = sourceKey.substring(sourceKey.lastIndexOf('/') + 1);
        String ext = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase() : "";
        return checked(prefix + expand(template.get(), rendition, width, height, sourceBucket, sourceKey, ext, false));
    }

    /** {@code <prefix><segment>/[<bucket>/]<key>}: where the manifest goes, and every rendition without a template. */
    public String folderKey(String segment, String sourceBucket, String sourceKey) {
        return checked(prefix + segment + "/" + (includeBucket ? sourceBucket + "/" : "") + sourceKey);
    }

    private static String expand(String template, String rendition, int width, int height, String bucket, String key, String ext,
            boolean formatChanged) {
        int slash = key.lastIndexOf('/');
        String dir = key.substring(0, slash + 1);
        String file = key.substring(slash + 1);
        String name = file.contains(".") ? file.substring(0, file.lastIndexOf('.')) : file;
        Map<String, String> values = Map.of("rendition", rendition, "width", Integer.toString(width), "height", Integer.toString(height),
                "bucket", bucket, "key", key, "dir", dir, "name", name, "ext", ext);
        // one pass, so that braces in a key are never taken for placeholders
        String expanded = PLACEHOLDER.matcher(template).replaceAll(m -> Matcher.quoteReplacement(values.getOrDefault(m.group(1), m.group())));
        // a template that keeps the original's name whole still tells a JPEG of a PNG from the PNG
        return formatChanged && !template.contains("{ext}") ? expanded + "." + ext : expanded;
    }

    /**
     * Why a template cannot be used, or empty: every rendition and every original must get keys of their own.
     *
     * @param multipleSources whether there is more than one source bucket
     */
    public static Optional<String> problem(String template, boolean multipleSources) {
        if (!template.contains("{rendition}") && !(template.contains("{width}") && template.contains("{height}"))) {
            return Optional.of("name {rendition}, or {width} and {height}, so that renditions do not overwrite each other");
        }
        if (!template.contains("{key}") && !(template.contains("{dir}") && template.contains("{name}"))) {
            return Optional.of("name {key}, or {dir} and {name}, so that originals do not overwrite each other's renditions");
        }
        if (multipleSources && !template.contains("{bucket}")) {
            return Optional.of("name {bucket}: there are several source buckets");
        }
        Matcher unknown = PLACEHOLDER.matcher(template);
        while (unknown.find()) {
            if (!List.of("rendition", "width", "height", "bucket", "key", "dir", "name", "ext").contains(unknown.group(1))) {
                return Optional.of("unknown placeholder " + unknown.group());
            }
        }
        if (template.startsWith("/")) {
            return Optional.of("a key does not start with '/'");
        }
        return Optional.empty();
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
