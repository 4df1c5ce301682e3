package dev.imageresizer.imaging;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

import javax.imageio.ImageIO;

import dev.imageresizer.failure.Failure;
import dev.imageresizer.failure.Shutdown;

/**
 * The imaging steps of the pipeline, in one place for the pipeline, its warm-up and the benchmark: inspect an original
 * (no decode), then decode it once, at the smallest size the renditions need, and render every rendition from it.
 */
public final class Imaging {

    private final ImageInspector inspector;
    private final ImageDecoder decoder;
    private final Renderer renderer;
    private final TurboJpeg.Probe jpegCodec;
    private final Heif.Probe heif;

    /**
     * @param maxPixels originals with more pixels are rejected from their header
     * @param jpegCodec libjpeg-turbo when it loaded; ImageIO otherwise
     */
    public Imaging(long maxPixels, TurboJpeg.Probe jpegCodec) {
        this(maxPixels, ImageInspector.DEFAULT_MAX_FRAMES, ImageDecoder.DEFAULT_DECODE_TIMEOUT, jpegCodec);
    }

    /**
     * @param maxPixels originals with more pixels are rejected from their header
     * @param maxFrames animations with more frames are rejected before decoding
     * @param decodeTimeout an ImageIO decode running longer is aborted and the original rejected
     * @param jpegCodec libjpeg-turbo when it loaded; ImageIO otherwise
     */
    public Imaging(long maxPixels, int maxFrames, Duration decodeTimeout, TurboJpeg.Probe jpegCodec) {
        this(maxPixels, maxFrames, decodeTimeout, jpegCodec, Heif.Probe.absent("not asked for"));
    }

    /**
     * @param maxPixels originals with more pixels are rejected from their header
     * @param maxFrames animations with more frames are rejected before decoding
     * @param decodeTimeout an ImageIO decode running longer is aborted and the original rejected
     * @param jpegCodec libjpeg-turbo when it loaded; ImageIO otherwise
     * @param heif libheif when it loaded, for HEIC/HEIF and AVIF originals and AVIF renditions
     */
    public Imaging(long maxPixels, int maxFrames, Duration decodeTimeout, TurboJpeg.Probe jpegCodec, Heif.Probe heif) {
        // ImageIO's streams over in-memory data otherwise cache through a temporary file each, and its shutdown hook
        // closes those under encodes still running; everything here is bounded in memory already
        ImageIO.setUseCache(false);
        this.inspector = new ImageInspector(maxPixels, maxFrames, heif.codec());
        this.decoder = new ImageDecoder(jpegCodec.codec(), heif.codec(), decodeTimeout);
        this.renderer = new Renderer(jpegCodec.codec(), heif.codec());
        this.jpegCodec = jpegCodec;
        this.heif = heif;
    }

    /** The JPEG codec in use. */
    public TurboJpeg.Probe jpegCodec() {
        return jpegCodec;
    }

    /** libheif, when it loaded. */
    public Heif.Probe heif() {
        return heif;
    }

    /** @see ImageInspector#inspect(ImageData) */
    public ImageInfo inspect(ImageData data) {
        return verdict("image", () -> inspector.inspect(data));
    }

    /** Decodes once, to what these targets need, and renders them, in the order given. */
    public List<Rendered> render(ImageData data, ImageInfo info, List<Target> targets) {
        return render(data, info, targets, r -> {
        });
    }

    /** As {@link #render(ImageData, ImageInfo, List)}, handing each rendition to {@code done} as soon as it is encoded. */
    public List<Rendered> render(ImageData data, ImageInfo info, List<Target> targets, Consumer<Rendered> done) {
        return render(decode(data, info, targets), info, targets, done);
    }

    /**
     * Runs one imaging step on one original. Whatever the decoders and encoders throw, checked or not, the original's
     * bytes caused it, so it becomes a permanent verdict (see {@link DecoderFailure}), never a failure the sender would retry. Failures of {@link #render}'s {@code done} (storing a
     * rendition) pass through as they are, and so does anything while the JVM shuts down (it may have caused them).
     * An {@link OutOfMemoryError} is never caught: the limits, checked before any decode, keep memory bounded.
     */
    private static <T> T verdict(String what, Supplier<T> step) {
        try {
            return step.get();
        } catch (NotTheImage e) {
            throw e.getCause();
        } catch (Failure.Rejected e) {
            if (Shutdown.inProgress()) {
                throw Failure.unavailable("shutting down: " + e.getMessage(), e);
            }
            throw e;
        } catch (Failure e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            if (Shutdown.inProgress()) {
                throw Failure.unavailable("shutting down: " + e, e);
            }
            throw DecoderFailure.of(what, null, e);
        }
    }

    /** A failure of the caller's own code run inside an imaging step, carried through {@link #verdict} untouched. */
    private static final class NotTheImage extends RuntimeException {
        NotTheImage(RuntimeException cause) {
            super(cause);
        }

        @Override
        public synchronized RuntimeException getCause() {
            return (RuntimeException) super.getCause();
        }
    }

    private static Consumer<Rendered> passingThrough(Consumer<Rendered> done) {
        return rendered -> {
            try {
                done.accept(rendered);
            } catch (RuntimeException e) {
                throw new NotTheImage(e);
            }
        };
    }

    /** Decodes an inspected original once, scaled down as far as the largest of {@code targets} allows. */
    public BufferedImage decode(ImageData data, ImageInfo info, List<Target> targets) {
        return verdict(info.format().toString(), () -> decoder.decode(data, info, ImageDecoder.largestScale(info, targets)));
    }

    /**
     * Renders animated GIF {@code targets} (planned with {@code keepAnimation}) frame by frame from the original itself,
     * handing each to {@code done} when it is complete.
     */
    public List<Rendered> renderAnimated(ImageData data, ImageInfo info, List<Target> targets, Consumer<Rendered> done) {
        return verdict(info.format().toString(), () -> AnimatedGif.render(data, info, targets, passingThrough(done)));
    }

    /** Renders {@code targets} from the {@link #decode decoded} original, handing each to {@code done} as soon as it is encoded. */
    public List<Rendered> render(BufferedImage decoded, ImageInfo info, List<Target> targets, Consumer<Rendered> done) {
        return render(decoded, info, Optional.empty(), targets, done);
    }

    /** As {@link #render(BufferedImage, ImageInfo, List, Consumer)}, {@code cover} renditions cut around {@code focus} when present. */
    public List<Rendered> render(BufferedImage decoded, ImageInfo info, Optional<FocalPoint> focus, List<Target> targets, Consumer<Rendered> done) {
        return verdict(info.format().toString(), () -> renderer.render(decoded, info.orientation(), focus, targets, passingThrough(done)));
    }

    /** The placeholder (ThumbHash and average colour) of the {@link #decode decoded} original, as shown upright. */
    public Placeholder placeholder(BufferedImage decoded, ImageInfo info) {
        return verdict(info.format().toString(), () -> Placeholder.of(decoded, info.orientation()));
    }

    /** Inspects, plans every rendition in {@code specs} and renders them. */
    public List<Rendered> renderAll(ImageData data, List<RenditionSpec> specs) {
        ImageInfo info = inspect(data);
        return render(data, info, specs.stream().map(spec -> Target.plan(spec, info)).toList());
    }
}
