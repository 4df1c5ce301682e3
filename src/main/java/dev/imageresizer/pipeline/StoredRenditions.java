package dev.imageresizer.pipeline;

import java.util.List;

import dev.imageresizer.storage.ETag;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The renditions of one original, as announced on Kafka and returned to the caller.
 *
 * @param source the original they were made from
 * @param renditions one entry per configured rendition, by name
 * @param written how many of them this event wrote; 0 when all were already stored for this ETag (a redelivery)
 * @param jpegCodec the JPEG codec of the process that handled the event: {@code libjpeg-turbo} or {@code imageio}
 */
// serialised by Jackson for the Kafka announcement, outside Funqy's signature
@RegisterForReflection
public record StoredRenditions(Source source, List<Rendition> renditions, int written, String jpegCodec) {

    public StoredRenditions {
        renditions = List.copyOf(renditions);
    }

    // serialised by Jackson as part of StoredRenditions
    @RegisterForReflection
    public record Source(String bucket, String key, String etag) {

        public Source(String bucket, String key, ETag etag) {
            this(bucket, key, etag.value());
        }
    }

    // serialised by Jackson as part of StoredRenditions
    @RegisterForReflection
    public record Rendition(String name, String bucket, String key, int width, int height, long bytes, String contentType) {
    }
}
