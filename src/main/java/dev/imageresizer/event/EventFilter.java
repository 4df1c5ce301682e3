package dev.imageresizer.event;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a notification record asks for renditions. Only events that bring new bytes act
 * ({@code ObjectCreated:Put}, {@code :Post}, {@code :Copy}, {@code :CompleteMultipartUpload}); MinIO's other
 * {@code ObjectCreated:*} events (tagging, retention, legal hold) change metadata only. Objects in the destination are
 * never acted on, so renditions can never trigger renditions.
 */
public final class EventFilter {

    /** The event names (without {@code s3:}) whose objects have new content. */
    public static final Set<String> NEW_BYTES = Set.of(
            "ObjectCreated:Put", "ObjectCreated:Post", "ObjectCreated:Copy", "ObjectCreated:CompleteMultipartUpload");

    /** Whether to act on an event, and if not, why not. */
    public record Decision(boolean acts, String reason) {

        static final Decision ACT = new Decision(true, "new object content");

        static Decision ignore(String reason) {
            return new Decision(false, reason);
        }
    }

    private final Set<String> sourceBuckets;
    private final List<KeyPattern> includePrefixes;
    private final List<KeyPattern> excludePrefixes;
    private final String destinationBucket;
    private final String destinationPrefix;
    private final Optional<String> failedPrefix;

    /**
     * @param includePrefixes an empty list includes every key
     * @param destinationPrefix the rendition key prefix in the destination bucket, empty for none
     */
    public EventFilter(Set<String> sourceBuckets, List<String> includePrefixes, List<String> excludePrefixes,
            String destinationBucket, String destinationPrefix) {
        this(sourceBuckets, includePrefixes, excludePrefixes, destinationBucket, destinationPrefix, Optional.empty());
    }

    /** @param failedPrefix where refused originals are copied in the destination bucket, guarded like the renditions */
    public EventFilter(Set<String> sourceBuckets, List<String> includePrefixes, List<String> excludePrefixes,
            String destinationBucket, String destinationPrefix, Optional<String> failedPrefix) {
        this.failedPrefix = failedPrefix;
        this.sourceBuckets = Set.copyOf(sourceBuckets);
        this.includePrefixes = includePrefixes.stream().map(KeyPattern::of).toList();
        this.excludePrefixes = excludePrefixes.stream().map(KeyPattern::of).toList();
        this.destinationBucket = destinationBucket;
        this.destinationPrefix = destinationPrefix;
    }

    public Decision decide(ObjectEvent event) {
        if (!NEW_BYTES.contains(event.eventName())) {
            return Decision.ignore("event " + UntrustedText.printable(event.eventName()) + " brings no new object content");
        }
        if (event.bucket().equals(destinationBucket) && event.key().startsWith(destinationPrefix)) {
            return Decision.ignore("object is in the destination " + destinationBucket + "/" + destinationPrefix + " (loop guard)");
        }
        if (event.bucket().equals(destinationBucket) && failedPrefix.filter(event.key()::startsWith).isPresent()) {
            return Decision.ignore("object is a refused original copied to " + destinationBucket + "/" + failedPrefix.get() + " (loop guard)");
        }
        if (!sourceBuckets.contains(event.bucket())) {
            return Decision.ignore("bucket " + UntrustedText.printable(event.bucket()) + " is not a source bucket " + sourceBuckets);
        }
        if (event.key().isEmpty() || event.key().endsWith("/")) {
            return Decision.ignore("not an object but a folder marker");
        }
        if (!includePrefixes.isEmpty() && includePrefixes.stream().noneMatch(p -> p.matches(event.key()))) {
            return Decision.ignore("key matches no include prefix " + includePrefixes);
        }
        if (excludePrefixes.stream().anyMatch(p -> p.matches(event.key()))) {
            return Decision.ignore("key matches an exclude prefix " + excludePrefixes);
        }
        return Decision.ACT;
    }
}
