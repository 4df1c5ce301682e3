package dev.imageresizer.imaging;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.sksamuel.scrimage.ImmutableImage;
import com.sksamuel.scrimage.ScaleMethod;
import com.sksamuel.scrimage.nio.ImageWriter;
import com.sksamuel.scrimage.nio.JpegWriter;
import com.sksamuel.scrimage.nio.PngWriter;

import dev.imageresizer.imaging.Geometry.Frame;

/**
 * Renders and encodes renditions from one decoded image. Renditions are made largest first, each scaled from the
 * smallest image already made that is still at least its size (1280 -> 640 -> 150 rather than three times from the
 * original): faster, and each step a moderate reduction. Scaling is scrimage's progressive bilinear halving.
 */
public final class Renderer {

    /** zlib level 6: nearly the size of level 9 at a fraction of its time. */
    private static final int PNG_COMPRESSION = 6;

    /**
     * @param image the decoded original, upright, possibly subsampled
     * @return one encoded rendition per target, in the order of {@code targets}
     */
    public List<Rendered> render(BufferedImage image, List<Target> targets) {
        List<ImmutableImage> scaled = new ArrayList<>();
        scaled.add(ImmutableImage.wrapAwt(image));
        Map<Target, Rendered> rendered = new LinkedHashMap<>();
        List<Target> largestFirst = new ArrayList<>(targets);
        largestFirst.sort(Comparator.comparingLong((Target t) -> (long) t.frame().scaledWidth() * t.frame().scaledHeight()).reversed());
        for (Target target : largestFirst) {
            Frame frame = target.frame();
            ImmutableImage source = scaled.stream()
                    .filter(s -> s.width >= frame.scaledWidth() && s.height >= frame.scaledHeight())
                    .min(Comparator.comparingLong(s -> (long) s.width * s.height))
                    .orElse(scaled.get(0));
            ImmutableImage resized = source.scaleTo(frame.scaledWidth(), frame.scaledHeight(), ScaleMethod.Progressive);
            scaled.add(resized);
            ImmutableImage cropped = frame.width() == frame.scaledWidth() && frame.height() == frame.scaledHeight()
                    ? resized
                    : resized.subimage((frame.scaledWidth() - frame.width()) / 2, (frame.scaledHeight() - frame.height()) / 2,
                            frame.width(), frame.height());
            rendered.put(target, new Rendered(target, encode(cropped, target)));
        }
        return targets.stream().map(rendered::get).toList();
    }

    private static byte[] encode(ImmutableImage image, Target target) {
        ImageWriter writer = switch (target.format()) {
            case JPEG -> new JpegWriter(target.spec().quality(), false);
            case PNG -> new PngWriter(PNG_COMPRESSION);
            default -> throw new IllegalStateException("renditions are JPEG or PNG, not " + target.format());
        };
        try {
            return image.bytes(writer);
        } catch (IOException e) {
            throw new IllegalStateException("encoding " + target.format() + " in memory failed", e);
        }
    }
}
