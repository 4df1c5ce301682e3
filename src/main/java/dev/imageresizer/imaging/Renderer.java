package dev.imageresizer.imaging;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import com.sksamuel.scrimage.ImmutableImage;
import com.sksamuel.scrimage.ScaleMethod;
import com.sksamuel.scrimage.nio.ImageWriter;
import com.sksamuel.scrimage.nio.JpegWriter;
import com.sksamuel.scrimage.nio.PngWriter;

import dev.imageresizer.imaging.Geometry.Frame;

/**
 * Renders and encodes renditions from one decoded image. Renditions are made largest first, each scaled from the
 * smallest image already made that is still at least its size (1280 -> 640 -> 150 rather than three times from the
 * original): faster, and each step a moderate reduction. Scaling: see {@link #scale}; where a {@code cover} rendition
 * is cut: {@link CropWindow}. Scaling and cropping work in the stored orientation; each finished rendition is then turned upright, so the full-size image
 * is never copied for it. Encoded as JPEG (libjpeg-turbo when installed), PNG, WebP ({@link WebP}) or AVIF ({@link Heif}).
 */
public final class Renderer {

    /** Renditions with alpha up to this many pixels (640x640, the default small one) get a Lanczos3 final step. */
    static final long LANCZOS_MAX_PIXELS = 640 * 640;

    /** zlib level 6: nearly the size of level 9 at a fraction of its time. */
    private static final int PNG_COMPRESSION = 6;

    private final Optional<TurboJpeg> turboJpeg;
    private final Optional<Heif> heif;

    /** Encodes with ImageIO only. */
    public Renderer() {
        this(Optional.empty());
    }

    /** @param turboJpeg encodes opaque JPEG renditions when present */
    public Renderer(Optional<TurboJpeg> turboJpeg) {
        this(turboJpeg, Optional.empty());
    }

    /**
     * @param turboJpeg encodes opaque JPEG renditions when present
     * @param heif encodes AVIF renditions (which {@code pipeline.ConfigCheck} allows only when it has an AV1 encoder)
     */
    public Renderer(Optional<TurboJpeg> turboJpeg, Optional<Heif> heif) {
        this.turboJpeg = turboJpeg;
        this.heif = heif;
    }

    /**
     * @param image the decoded original as stored, possibly subsampled
     * @param orientation the EXIF orientation of the original
     * @return one encoded rendition per target, in the order of {@code targets}
     */
    public List<Rendered> render(BufferedImage image, int orientation, List<Target> targets) {
        return render(image, orientation, targets, r -> {
        });
    }

    /**
     * As {@link #render(BufferedImage, int, List)}, handing each rendition to {@code done} as soon as it is encoded
     * (largest first), so it can be stored while the next one is rendered.
     */
    public List<Rendered> render(BufferedImage image, int orientation, List<Target> targets, Consumer<Rendered> done) {
        return render(image, orientation, Optional.empty(), targets, done);
    }

    /**
     * As {@link #render(BufferedImage, int, List, Consumer)}; {@code cover} renditions are cut around {@code focus} when
     * present, else as their {@link RenditionSpec#crop() crop} says ({@link CropWindow}).
     *
     * @param focus the uploader's focal point, in the upright image
     */
    public List<Rendered> render(BufferedImage image, int orientation, Optional<FocalPoint> focus, List<Target> targets, Consumer<Rendered> done) {
        Optional<FocalPoint> storedFocus = focus.map(f -> f.stored(orientation));
        boolean transposed = Orientation.transposes(orientation);
        List<ImmutableImage> scaled = new ArrayList<>();
        scaled.add(ImmutableImage.wrapAwt(image));
        Map<Target, Rendered> rendered = new LinkedHashMap<>();
        List<Target> largestFirst = new ArrayList<>(targets);
        largestFirst.sort(Comparator.comparingLong((Target t) -> (long) t.frame().scaledWidth() * t.frame().scaledHeight()).reversed());
        for (Target target : largestFirst) {
            Frame frame = target.frame();
            // the frame is upright; in the stored orientation width and height may be swapped
            int scaledWidth = transposed ? frame.scaledHeight() : frame.scaledWidth();
            int scaledHeight = transposed ? frame.scaledWidth() : frame.scaledHeight();
            int width = transposed ? frame.height() : frame.width();
            int height = transposed ? frame.width() : frame.height();
            ImmutableImage source = scaled.stream()
                    .filter(s -> s.width >= scaledWidth && s.height >= scaledHeight)
                    .min(Comparator.comparingLong(s -> (long) s.width * s.height))
                    .orElse(scaled.get(0));
            ImmutableImage resized = scale(source, scaledWidth, scaledHeight);
            scaled.add(resized);
            ImmutableImage cropped = resized;
            if (width != scaledWidth || height != scaledHeight) {
                CropWindow.Box box = CropWindow.choose(resized.awt(), width, height, target.spec().crop(), storedFocus);
                cropped = resized.subimage(box.x(), box.y(), width, height);
            }
            ImmutableImage upright = ImmutableImage.wrapAwt(Orientation.apply(cropped.awt(), orientation));
            Rendered result = new Rendered(target, encode(upright, target));
            rendered.put(target, result);
            done.accept(result);
        }
        return targets.stream().map(rendered::get).toList();
    }

    /**
     * Scales to the rendition's size. Opaque images (every JPEG): one {@link Lanczos} step, which keeps the fine detail a
     * bilinear step blurs at about a bilinear step's cost. Images with alpha: halved with Java2D (each halving a 2x2
     * average) while at least twice the size, then a final Lanczos3 step (scrimage's resampler) for renditions up to
     * {@link #LANCZOS_MAX_PIXELS}, or scrimage's progressive bilinear halving for larger ones, since that Lanczos3 at
     * 1280 px costs ten times as much. Where a halving lands within a pixel of the size (1280x853 to 640x427), that
     * halving is the last step.
     */
    static ImmutableImage scale(ImmutableImage source, int width, int height) {
        if (source.width == width && source.height == height) {
            return source;
        }
        if (Lanczos.supports(source.awt())) {
            return ImmutableImage.wrapAwt(Lanczos.scale(source.awt(), width, height));
        }
        if ((long) width * height > LANCZOS_MAX_PIXELS) {
            return source.scaleTo(width, height, ScaleMethod.Progressive);
        }
        ImmutableImage current = source;
        while (current.width >= 2 * width - 1 && current.height >= 2 * height - 1) {
            if (current.width / 2 >= width - 1 && current.width / 2 <= width + 1 && current.height / 2 >= height - 1 && current.height / 2 <= height + 1) {
                return current.scaleTo(width, height, ScaleMethod.Progressive);
            }
            current = current.scaleTo(current.width / 2, current.height / 2, ScaleMethod.Progressive);
        }
        return current.width == width && current.height == height ? current : current.scaleTo(width, height, ScaleMethod.Lanczos3);
    }

    private byte[] encode(ImmutableImage image, Target target) {
        if (target.format() == ImageFormat.JPEG && turboJpeg.isPresent() && !image.awt().getColorModel().hasAlpha()) {
            return turboJpeg.get().encode(image.awt(), target.spec().quality());
        }
        if (target.format() == ImageFormat.AVIF) {
            return heif.orElseThrow(() -> new IllegalStateException("an AVIF rendition needs libheif (" + Heif.INSTALL + ")"))
                    .encodeAvif(image.awt(), target.spec().quality());
        }
        if (target.format() == ImageFormat.WEBP) {
            return WebP.encode(image.awt(), target.spec().quality(), target.spec().lossless());
        }
        ImageWriter writer = switch (target.format()) {
            case JPEG -> new JpegWriter(target.spec().quality(), false);
            case PNG -> new PngWriter(PNG_COMPRESSION);
            default -> throw new IllegalStateException("renditions are JPEG, PNG, WebP or AVIF, not " + target.format());
        };
        try {
            return image.bytes(writer);
        } catch (IOException e) {
            throw new IllegalStateException("encoding " + target.format() + " in memory failed", e);
        }
    }
}
