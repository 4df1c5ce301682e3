package dev.imageresizer.pipeline;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.imageresizer.imaging.ImageFormat;
import dev.imageresizer.imaging.Target;
import dev.imageresizer.pipeline.StoredRenditions.Rendition;
import dev.imageresizer.pipeline.StoredRenditions.Source;

/**
 * What one event has to make for one original, decided by {@link CurrentRenditions} from what is stored.
 *
 * @param source the original, with the ETag the decision was made for
 * @param current the renditions already stored from exactly that original, in rendition order
 * @param missing the key of each rendition still to make, by rendition name, in rendition order
 * @param manifestKey where the manifest is to be written; empty when it is current, or manifests are off
 * @param targets every rendition as planned for the inspected original; empty before inspection
 */
record Plan(Source source, List<Rendition> current, Map<String, String> missing, Optional<String> manifestKey, List<Target> targets) {

    Plan {
        current = List.copyOf(current);
        missing = Collections.unmodifiableMap(new LinkedHashMap<>(missing));
        targets = List.copyOf(targets);
    }

    /** Whether there is nothing to make: every rendition, and the manifest, are stored from this original. */
    boolean complete() {
        return missing.isEmpty() && manifestKey.isEmpty();
    }

    /** The still renditions to make. */
    List<Target> stills() {
        return targets.stream().filter(t -> missing.containsKey(t.spec().name()) && t.format() != ImageFormat.GIF).toList();
    }

    /** The animated renditions to make ({@code resizer.animation=keep}): made frame by frame from the original itself. */
    List<Target> animated() {
        return targets.stream().filter(t -> missing.containsKey(t.spec().name()) && t.format() == ImageFormat.GIF).toList();
    }

    /** What the original is decoded for: the stills to make or, with none (a manifest's placeholder alone), every rendition. */
    List<Target> toDecode() {
        List<Target> stills = stills();
        return stills.isEmpty() ? targets : stills;
    }

    /** The key a rendition to make is stored at. */
    String key(Target target) {
        return missing.get(target.spec().name());
    }

    /** Every rendition, the current and the {@code written} ones, by name. */
    List<Rendition> with(List<Rendition> written) {
        List<Rendition> all = new ArrayList<>(current);
        all.addAll(written);
        all.sort(Comparator.comparing(Rendition::name));
        return all;
    }

    /** What is announced once the {@code written} renditions are stored. */
    StoredRenditions stored(List<Rendition> written, String jpegCodec) {
        return new StoredRenditions(source, with(written), missing.size(), jpegCodec);
    }
}
