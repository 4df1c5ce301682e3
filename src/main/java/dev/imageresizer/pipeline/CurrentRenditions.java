package dev.imageresizer.pipeline;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.storage.ETag;
import dev.imageresizer.imaging.ImageInfo;
import dev.imageresizer.imaging.RenditionSpec;
import dev.imageresizer.imaging.Target;
import dev.imageresizer.pipeline.StoredRenditions.Rendition;
import dev.imageresizer.pipeline.StoredRenditions.Source;
import dev.imageresizer.storage.RenditionKeys;
import dev.imageresizer.storage.Storage;
import dev.imageresizer.storage.StoredObject;

/**
 * Which of an original's renditions are current and which must be made. A rendition is current when the object at its
 * key was made from exactly this original ({@link Provenance}) and knows its size; the manifest is current when it was
 * made from this original and no rendition is missing. One decision, made twice per event at most: before the download,
 * at the keys the renditions have in the original's own format (when everything is current, nothing is fetched), and
 * after inspection, at the keys of the planned formats. Each key is looked up once per event, all keys at once.
 */
final class CurrentRenditions {

    private final Storage store;
    private final List<RenditionSpec> renditions;
    private final RenditionKeys keys;
    private final String destination;
    /** The manifest's key segment, or empty when manifests are off. */
    private final Optional<String> manifestName;
    private final boolean keepAnimation;

    CurrentRenditions(Storage store, List<RenditionSpec> renditions, RenditionKeys keys, String destination, Optional<String> manifestName,
            boolean keepAnimation) {
        this.store = store;
        this.renditions = List.copyOf(renditions);
        this.keys = keys;
        this.destination = destination;
        this.manifestName = manifestName;
        this.keepAnimation = keepAnimation;
    }

    /** @param renditions the enabled renditions, as {@link ConfigCheck#validate} returns them */
    static CurrentRenditions of(ResizerConfig config, List<RenditionSpec> renditions, Storage store) {
        RenditionKeys keys = new RenditionKeys(config.destination().prefix().orElse(""), config.source().buckets().size() > 1,
                config.destination().keyTemplate());
        return new CurrentRenditions(store, renditions, keys, config.destination().bucket(),
                config.manifest().enabled() ? Optional.of(config.manifest().name()) : Optional.empty(),
                config.animation() == ResizerConfig.Animation.KEEP);
    }

    /** The lookups of one event for the original at {@code bucket}/{@code key}. */
    Lookup lookup(String bucket, String key) {
        return new Lookup(bucket, key);
    }

    /** One event's view of what is stored for one original: each key is asked about once. */
    final class Lookup {

        private final String bucket;
        private final String key;
        private final Map<String, Optional<StoredObject>> stats = new HashMap<>();

        private Lookup(String bucket, String key) {
            this.bucket = bucket;
            this.key = key;
        }

        /**
         * Before the download, for the ETag the notification announced: the renditions at the keys they have when their
         * format is the original's (a rendition whose format changes is then missing, and the original is fetched).
         */
        Plan inOwnFormat(ETag eTag) {
            List<String> renditionKeys = renditions.stream()
                    .map(spec -> keys.keyInOwnFormat(spec.name(), spec.width(), spec.height(), bucket, key)).toList();
            return plan(new Source(bucket, key, eTag), renditionKeys, List.of());
        }

        /** After inspection, for the ETag of the content fetched: the renditions at the keys of their planned formats. */
        Plan afterInspect(ETag eTag, ImageInfo info) {
            List<Target> targets = renditions.stream().map(spec -> Target.plan(spec, info, keepAnimation)).toList();
            List<String> renditionKeys = targets.stream()
                    .map(t -> keys.key(t.spec().name(), t.spec().width(), t.spec().height(), bucket, key, info.format(), t.format()))
                    .toList();
            return plan(new Source(bucket, key, eTag), renditionKeys, targets);
        }

        /** @param renditionKeys the key of each configured rendition, in order */
        private Plan plan(Source source, List<String> renditionKeys, List<Target> targets) {
            Optional<String> manifestKey = manifestName.map(name -> keys.folderKey(name, bucket, key) + ".json");
            describe(Stream.concat(renditionKeys.stream(), manifestKey.stream()).toList());
            List<Rendition> current = new ArrayList<>();
            Map<String, String> missing = new LinkedHashMap<>();
            for (int i = 0; i < renditions.size(); i++) {
                String name = renditions.get(i).name();
                String renditionKey = renditionKeys.get(i);
                current(source, renditions.get(i), renditionKey).ifPresentOrElse(current::add, () -> missing.put(name, renditionKey));
            }
            boolean manifestCurrent = missing.isEmpty() && manifestKey.flatMap(this::stat).filter(o -> Provenance.madeFrom(source, o)).isPresent();
            return new Plan(source, current, missing, manifestKey.filter(k -> !manifestCurrent), targets);
        }

        /** Looks up the keys not yet looked up, all at once. */
        private void describe(List<String> wanted) {
            List<String> unknown = wanted.stream().filter(k -> !stats.containsKey(k)).distinct().toList();
            if (!unknown.isEmpty()) {
                stats.putAll(store.statAll(destination, unknown));
            }
        }

        private Optional<StoredObject> stat(String objectKey) {
            return stats.getOrDefault(objectKey, Optional.empty());
        }

        /** The rendition stored at {@code renditionKey} from exactly this original, in its format, with its size. */
        private Optional<Rendition> current(Source source, RenditionSpec spec, String renditionKey) {
            return stat(renditionKey).filter(o -> Provenance.madeFrom(source, o)).filter(o -> inItsFormat(spec, o))
                    .flatMap(o -> dimensions(o).map(wh -> new Rendition(spec.name(), destination, renditionKey, wh[0], wh[1], o.size(), o.contentType())));
        }
    }

    /**
     * Whether the object is in the format the rendition is configured to have. Before inspection a rendition's key is
     * the one it has in the original's format: under a template without {@code {rendition}}, a {@code webp} rendition
     * beside a {@code jpeg} one of the same box would otherwise find the JPEG there and be taken as made.
     */
    private static boolean inItsFormat(RenditionSpec spec, StoredObject o) {
        return spec.fixedFormat().map(format -> format.contentType.equals(o.contentType())).orElse(true);
    }

    private static Optional<int[]> dimensions(StoredObject o) {
        try {
            return Optional.of(new int[] { Integer.parseInt(o.metadata().get(RenditionMetadata.WIDTH)),
                    Integer.parseInt(o.metadata().get(RenditionMetadata.HEIGHT)) });
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
