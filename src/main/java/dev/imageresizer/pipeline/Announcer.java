package dev.imageresizer.pipeline;

/**
 * Tells the rest of the system what became of an original: the pipeline's outlet, implemented on Kafka by
 * {@code messaging.RenditionAnnouncer}. Each call returns once the announcement is durable, or throws
 * {@link dev.imageresizer.failure.Failure.Transient} (the event is then retried).
 */
public interface Announcer {

    /** Renditions stored (or found current) for an original. */
    void announce(StoredRenditions renditions);

    /** An original, or a whole notification, refused for good. */
    void announce(Rejection rejection);
}
