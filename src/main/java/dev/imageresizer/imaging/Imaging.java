package dev.imageresizer.imaging;

import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import javax.imageio.ImageIO;

/**
 * The imaging steps of the pipeline, in one place for the pipeline, its warm-up and the benchmark: inspect an original
 * (no decode), then decode it once, at the smallest size the renditions need, and render every rendition from it.
 */
public final class Imaging {

    private final ImageInspector inspector;
    private final ImageDecoder decoder;
    private final Renderer renderer;
    private final TurboJpeg.Probe jpegCodec;

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
        // ImageIO's streams over in-memory data otherwise cache through a temporary file each, and its shutdown hook
        // closes those under encodes still running; everything here is bounded in memory already
        ImageIO.setUseCache(false);
        this.inspector = new ImageInspector(maxPixels, maxFrames);
        this.decoder = new ImageDecoder(jpegCodec.codec(), decodeTimeout);
        this.renderer = new Renderer(jpegCodec.codec());
        this.jpegCodec = jpegCodec;
    }

    /** The JPEG codec in use. */
    public TurboJpeg.Probe jpegCodec() {
        return jpegCodec;
    }

    /** @see ImageInspector#inspect(ImageData) */
    public ImageInfo inspect(ImageData data) {
        return inspector.inspect(data);
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

    /** Decodes an inspected original once, scaled down as far as the largest of {@code targets} allows. */
    public BufferedImage decode(ImageData data, ImageInfo info, List<Target> targets) {
        return decoder.decode(data, info, ImageDecoder.largestScale(info, targets));
    }

    /**
     * Renders animated GIF {@code targets} (planned with {@code keepAnimation}) frame by frame from the original itself,
     * handing each to {@code done} when it is complete.
     */
    public List<Rendered> renderAnimated(ImageData data, ImageInfo info, List<Target> targets, Consumer<Rendered> done) {
        return AnimatedGif.render(data, info, targets, done);
    }

    /** Renders {@code targets} from the {@link #decode decoded} original, handing each to {@code done} as soon as it is encoded. */
    public List<Rendered> render(BufferedImage decoded, ImageInfo info, List<Target> targets, Consumer<Rendered> done) {
        return renderer.render(decoded, info.orientation(), targets, done);
    }

    /** Inspects, plans every rendition in {@code specs} and renders them. */
    public List<Rendered> renderAll(ImageData data, List<RenditionSpec> specs) {
        ImageInfo info = inspect(data);
        return render(data, info, specs.stream().map(spec -> Target.plan(spec, info)).toList());
    }
}
