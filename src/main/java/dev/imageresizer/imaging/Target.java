package dev.imageresizer.imaging;

import dev.imageresizer.imaging.Geometry.Frame;

/** A rendition planned for one original: its spec, its exact output size and its format. */
public record Target(RenditionSpec spec, Frame frame, ImageFormat format) {

    public static Target plan(RenditionSpec spec, ImageInfo original) {
        return plan(spec, original, false);
    }

    /** @param keepAnimation whether an animated GIF stays animated where the rendition's format is {@code same} */
    public static Target plan(RenditionSpec spec, ImageInfo original, boolean keepAnimation) {
        Frame frame = Geometry.frame(original.displayWidth(), original.displayHeight(), spec.width(), spec.height(), spec.fit());
        return new Target(spec, frame, spec.outputFor(original, keepAnimation));
    }
}
