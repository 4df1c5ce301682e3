package dev.imageresizer.imaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.sksamuel.scrimage.ImmutableImage;

import dev.imageresizer.config.ResizerConfig.Crop;
import dev.imageresizer.config.ResizerConfig.Fit;
import dev.imageresizer.config.ResizerConfig.OutputFormat;
import dev.imageresizer.imaging.CropWindow.Box;
import dev.imageresizer.imaging.Geometry.Frame;

/**
 * Our crop window beside libvips' for the same file: {@code vips thumbnail FILE OUT.v 150 --height 150 --crop attention}
 * (what {@code vipsthumbnail --smartcrop attention -s 150x150} does), whose output records where it was cut in its
 * {@code xoffset}/{@code yoffset} header fields, against {@link CropWindow} on our own image scaled to cover the same box.
 * Overlap is the intersection over union of the two windows, in the scaled image.
 */
public final class CropAgreement {

    /** One image: the scaled size, both windows, and their overlap. */
    public record Comparison(String name, int scaledWidth, int scaledHeight, Box ours, Box vips, double iou, double millis) {

        @Override
        public String toString() {
            return String.format("%-40s %4dx%-4d ours %3d,%-3d libvips %3d,%-3d IoU %.2f (%.1f ms)", name, scaledWidth, scaledHeight,
                    ours.x(), ours.y(), vips.x(), vips.y(), iou, millis);
        }
    }

    private CropAgreement() {
    }

    /** Whether Debian's libvips-tools are installed. */
    public static boolean vipsInstalled() {
        try {
            return run(List.of("vips", "--version")).startsWith("vips-");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * @param file an image libvips and we both read, stored upright (EXIF orientation 1: libvips turns others first)
     * @param strategy {@code attention} or {@code entropy}
     * @return empty when the image needs no crop for this box
     */
    public static Optional<Comparison> compare(Path file, int box, Crop strategy) {
        byte[] bytes = read(file);
        ImageInspector inspector = new ImageInspector(100_000_000L);
        ImageData data = ImageData.of(bytes);
        ImageInfo info = inspector.inspect(data);
        if (info.orientation() > 1) {
            throw new IllegalArgumentException(file + " has EXIF orientation " + info.orientation());
        }
        RenditionSpec spec = new RenditionSpec("thumb", box, box, Fit.COVER, OutputFormat.SAME, 85, strategy);
        Frame frame = Target.plan(spec, info).frame();
        if (frame.width() == frame.scaledWidth() && frame.height() == frame.scaledHeight()) {
            return Optional.empty();
        }
        var decoded = new ImageDecoder(Optional.empty(), ImageDecoder.DEFAULT_DECODE_TIMEOUT).decode(data, info, 1);
        ImmutableImage scaled = Renderer.scale(ImmutableImage.wrapAwt(decoded), frame.scaledWidth(), frame.scaledHeight());
        long start = System.nanoTime();
        Box ours = CropWindow.choose(scaled.awt(), frame.width(), frame.height(), strategy, Optional.empty());
        double millis = (System.nanoTime() - start) / 1e6;
        Box vips = vips(file, box, strategy);
        return Optional.of(new Comparison(file.getFileName().toString(), frame.scaledWidth(), frame.scaledHeight(), ours, vips, iou(ours, vips), millis));
    }

    /** Where libvips cuts {@code file}'s {@code box x box} thumbnail with this strategy. */
    public static Box vips(Path file, int box, Crop strategy) {
        try {
            Path out = Files.createTempFile("vips-crop", ".v");
            try {
                run(List.of("vips", "thumbnail", file.toString(), out.toString(), String.valueOf(box), "--height", String.valueOf(box), "--crop",
                        strategy.name().toLowerCase()));
                int x = -Integer.parseInt(run(List.of("vipsheader", "-f", "xoffset", out.toString())).strip());
                int y = -Integer.parseInt(run(List.of("vipsheader", "-f", "yoffset", out.toString())).strip());
                int width = Integer.parseInt(run(List.of("vipsheader", "-f", "width", out.toString())).strip());
                int height = Integer.parseInt(run(List.of("vipsheader", "-f", "height", out.toString())).strip());
                return new Box(x, y, width, height);
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Intersection over union. */
    public static double iou(Box a, Box b) {
        long w = Math.max(0, Math.min(a.x() + a.width(), b.x() + b.width()) - Math.max(a.x(), b.x()));
        long h = Math.max(0, Math.min(a.y() + a.height(), b.y() + b.height()) - Math.max(a.y(), b.y()));
        long intersection = w * h;
        long union = (long) a.width() * a.height() + (long) b.width() * b.height() - intersection;
        return (double) intersection / union;
    }

    /** The mean overlap. */
    public static double mean(List<Comparison> comparisons) {
        return comparisons.stream().mapToDouble(Comparison::iou).average().orElse(Double.NaN);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String run(List<String> command) {
        try {
            // libvips warns on stderr about what it reads (an unknown EXIF unit, say); only stdout is the answer
            Path errors = Files.createTempFile("vips", ".err");
            try {
                Process process = new ProcessBuilder(new ArrayList<>(command)).redirectError(errors.toFile()).start();
                byte[] output = process.getInputStream().readAllBytes();
                if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                    throw new IllegalStateException(command + " failed: " + Files.readString(errors));
                }
                return new String(output, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(errors);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(command.get(0) + " could not be run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
