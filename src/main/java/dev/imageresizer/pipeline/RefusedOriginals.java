package dev.imageresizer.pipeline;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.event.KeyEncoding;
import dev.imageresizer.event.ObjectEvent;
import dev.imageresizer.failure.Failure;
import dev.imageresizer.storage.Storage;

/**
 * With {@code resizer.destination.failed-prefix} (Firebase's "failed images" path): a refused original that exists is
 * copied, without download, to {@code <failed-prefix>[<bucket>/]<key>} in the destination bucket, with the reason as
 * user metadata {@code resizer-rejection} and where it came from. Refusals of the notification or of the key (nothing
 * to copy, or nowhere to copy it to) are not kept; neither is the original moved.
 */
final class RefusedOriginals {

    /** Refusals of an original that exists, which {@code failed-prefix} keeps. */
    static final Set<Failure.Reason> KEPT = EnumSet.of(Failure.Reason.NOT_AN_IMAGE, Failure.Reason.CORRUPT, Failure.Reason.UNSUPPORTED,
            Failure.Reason.TOO_LARGE);

    private final Storage store;
    private final String destination;
    private final Optional<String> failedPrefix;
    private final boolean includeBucket;

    /** @param includeBucket whether the copy's key carries the source bucket (when there is more than one, as for renditions) */
    RefusedOriginals(Storage store, String destination, Optional<String> failedPrefix, boolean includeBucket) {
        this.store = store;
        this.destination = destination;
        this.failedPrefix = failedPrefix;
        this.includeBucket = includeBucket;
    }

    static RefusedOriginals of(ResizerConfig config, Storage store) {
        return new RefusedOriginals(store, config.destination().bucket(), config.destination().failedPrefix(),
                config.source().buckets().size() > 1);
    }

    /** Keeps a copy of the original {@code event} names, when configured and {@code reason} is one {@link #KEPT}. */
    void keep(ObjectEvent event, Failure.Reason reason) {
        if (failedPrefix.isEmpty() || !KEPT.contains(reason)) {
            return;
        }
        String key = failedPrefix.get() + (includeBucket ? event.bucket() + "/" : "") + event.key();
        store.copy(event.bucket(), event.key(), destination, key, Map.of("resizer-rejection", reason.code,
                Provenance.SOURCE_BUCKET, event.bucket(), Provenance.SOURCE_KEY, KeyEncoding.encode(event.key())));
    }
}
