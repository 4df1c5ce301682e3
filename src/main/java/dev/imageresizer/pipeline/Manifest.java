package dev.imageresizer.pipeline;

import java.util.List;

import dev.imageresizer.imaging.Placeholder;
import dev.imageresizer.pipeline.StoredRenditions.Rendition;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The JSON document stored next to an original's renditions ({@code <prefix>manifest/<key>.json}): what a front end
 * needs for a {@code srcset} and a placeholder, in one GET.
 *
 * @param source the original: bucket, key, ETag, upright width and height, content type
 * @param renditions every rendition, by name
 * @param placeholder the ThumbHash and dominant colour of the upright original
 */
// serialised by Jackson, outside Funqy's signature
@RegisterForReflection
public record Manifest(Source source, List<Rendition> renditions, Placeholder placeholder) {

    public Manifest {
        renditions = List.copyOf(renditions);
    }

    // serialised by Jackson as part of Manifest
    @RegisterForReflection
    public record Source(String bucket, String key, String etag, int width, int height, String contentType) {
    }
}
