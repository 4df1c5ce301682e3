package dev.imageresizer.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.sksamuel.scrimage.ImmutableImage;
import com.sksamuel.scrimage.nio.JpegWriter;
import com.sksamuel.scrimage.nio.PngWriter;

import dev.imageresizer.config.ResizerConfig.Fit;
import dev.imageresizer.config.ResizerConfig.OutputFormat;
import dev.imageresizer.imaging.ImageData;
import dev.imageresizer.imaging.Imaging;
import dev.imageresizer.imaging.Rendered;
import dev.imageresizer.imaging.RenditionSpec;
import dev.imageresizer.imaging.TurboJpeg;
import dev.imageresizer.failure.Failure;
import dev.imageresizer.support.Images;

/**
 * One benchmark candidate in a JVM of its own, started by {@link ResizeBenchmark} (pinned to cores with taskset), so
 * each gets the same fresh JVM and its own peak RSS. Prints the same lines as {@code src/test/vips/VipsReference.java}:
 * {@code pass, path, nanos, output bytes, ok|error} per image and pass, {@code wall, pass, nanos} per pass, then
 * {@code rss} and {@code heap} peaks.
 *
 * <pre>
 * ResizeWorker corpus (ours|ours-java|naive) LIST PASSES OUTDIR|- WORKERS
 * ResizeWorker large FILE MAX_BYTES MAX_MEGAPIXELS     one large original through inspect, decode, render
 * </pre>
 */
public final class ResizeWorker {

    /** The product's default renditions. */
    static final List<RenditionSpec> RENDITIONS = List.of(
            new RenditionSpec("large", 1280, 1280, Fit.BOUND, OutputFormat.SAME, 85),
            new RenditionSpec("small", 640, 640, Fit.BOUND, OutputFormat.SAME, 85),
            new RenditionSpec("thumb", 150, 150, Fit.COVER, OutputFormat.SAME, 85));
    /** What the pipeline holds in memory before it streams an original to a file (resizer.limits.in-memory-size). */
    static final long IN_MEMORY = 16L << 20;

    private interface Candidate {
        List<byte[]> run(byte[] original) throws IOException;
    }

    private ResizeWorker() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        if (args[0].equals("large")) {
            large(out, Path.of(args[1]), Long.parseLong(args[2]), Long.parseLong(args[3]));
        } else {
            corpus(out, args[1], Files.readAllLines(Path.of(args[2])), Integer.parseInt(args[3]), args[4], Integer.parseInt(args[5]));
        }
        out.printf("rss\t%d%n", peakRss());
        out.printf("heap\t%d%n", peakHeap());
        out.flush();
        System.exit(0);
    }

    private static void corpus(PrintStream out, String name, List<String> files, int passes, String outDir, int workers) throws Exception {
        Candidate candidate = candidate(name, out);
        List<byte[]> originals = new ArrayList<>();
        for (String file : files) {
            originals.add(Files.readAllBytes(Path.of(file)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        // one worker: pass by pass. Several: the warm-up pass, then every counted pass queued at once, as a stream of
        // uploads arrives, so no worker idles at the end of each pass waiting for the others (one wall line for them all)
        for (int pass = 1; pass <= passes; pass++) {
            long passStart = System.nanoTime();
            int last = workers == 1 || pass == 1 ? pass : passes;
            List<Future<String>> lines = new ArrayList<>();
            for (int p = pass; p <= last; p++) {
                for (int i = 0; i < files.size(); i++) {
                    int index = i;
                    int counted = p;
                    lines.add(pool.submit(() -> {
                        long start = System.nanoTime();
                        try {
                            List<byte[]> renditions = candidate.run(originals.get(index));
                            long nanos = System.nanoTime() - start;
                            if (counted == passes && !outDir.equals("-")) {
                                write(Path.of(outDir), Path.of(files.get(index)), renditions);
                            }
                            return String.format(Locale.ROOT, "%d\t%s\t%d\t%d\tok", counted, files.get(index), nanos,
                                    renditions.stream().mapToLong(r -> r.length).sum());
                        } catch (Exception | OutOfMemoryError e) {
                            return String.format(Locale.ROOT, "%d\t%s\t%d\t0\t%s", counted, files.get(index), System.nanoTime() - start,
                                    e.toString().replace('\t', ' ').replace('\n', ' '));
                        }
                    }));
                }
            }
            for (Future<String> line : lines) {
                out.println(line.get());
            }
            out.printf("wall\t%d\t%d%n", pass, System.nanoTime() - passStart);
            pass = last;
        }
        pool.shutdown();
    }

    private static Candidate candidate(String name, PrintStream out) {
        switch (name) {
            case "ours", "ours-java" -> {
                Imaging imaging = new Imaging(Long.MAX_VALUE, TurboJpeg.probe(TurboJpeg.DEBIAN_JAR, name.equals("ours")));
                out.printf("codec\t%s%n", imaging.jpegCodec().description());
                return original -> imaging.renderAll(ImageData.of(original), RENDITIONS).stream().map(Rendered::bytes).toList();
            }
            case "naive" -> {
                out.printf("codec\tscrimage %s: ImmutableImage.loader().fromBytes, each rendition from the original (Bicubic)%n", "4.6.6");
                return ResizeWorker::naive;
            }
            default -> throw new IllegalArgumentException("unknown candidate " + name);
        }
    }

    /** What a classic thumbnailer writes with scrimage: decode everything, scale each rendition from it. */
    private static List<byte[]> naive(byte[] bytes) throws IOException {
        ImmutableImage image = ImmutableImage.loader().fromBytes(bytes);
        boolean png = bytes[0] == (byte) 0x89;
        List<byte[]> renditions = new ArrayList<>();
        for (ImmutableImage rendition : List.of(image.bound(1280, 1280), image.bound(640, 640), image.cover(150, 150))) {
            renditions.add(png ? rendition.bytes(new PngWriter(6)) : rendition.bytes(new JpegWriter(85, false)));
        }
        return renditions;
    }

    private static void write(Path dir, Path original, List<byte[]> renditions) throws IOException {
        String extension = original.toString().endsWith(".png") ? "png" : "jpg";
        for (int i = 0; i < renditions.size(); i++) {
            Files.write(dir.resolve(original.getFileName() + "." + RENDITIONS.get(i).name() + "." + extension), renditions.get(i));
        }
    }

    /**
     * One large original, as a running function handles it (two small images first, so classes are loaded): refused
     * above the byte limit, in memory up to 16 MB and streamed from its file beyond, inspected (pixel limit), decoded
     * once, rendered.
     */
    private static void large(PrintStream out, Path file, long maxBytes, long maxMegapixels) throws IOException {
        Imaging imaging = new Imaging(maxMegapixels * 1_000_000L, TurboJpeg.probe(TurboJpeg.DEBIAN_JAR));
        for (String warm : List.of("fixtures/photos/coffee.png", "fixtures/photos/dune.jpg")) { // as in a running function: classes loaded
            imaging.renderAll(ImageData.of(Images.read(warm)), RENDITIONS);
        }
        long start = System.nanoTime();
        String outcome;
        long size = Files.size(file);
        if (size > maxBytes) {
            outcome = "rejected: object too large: " + size + " bytes, the limit is " + maxBytes;
        } else {
            ImageData data = size > IN_MEMORY ? new ImageData.InFile(file, size) : ImageData.of(Files.readAllBytes(file));
            try {
                List<Rendered> rendered = imaging.renderAll(data, RENDITIONS);
                outcome = "processed: " + rendered.stream().map(r -> r.width() + "x" + r.height()).toList()
                        + (data instanceof ImageData.InFile ? " streamed from the file" : " from memory");
            } catch (Failure.Rejected e) {
                outcome = "rejected [" + e.reason().code + "]: " + e.getMessage();
            } catch (OutOfMemoryError e) {
                outcome = "OutOfMemoryError";
            }
        }
        out.printf(Locale.ROOT, "large\t%s\t%d\t%s%n", file, System.nanoTime() - start, outcome);
    }

    private static long peakRss() {
        return peakRss(Path.of("/proc/self/status"));
    }

    /** VmHWM: a process's peak resident set, in bytes, from its /proc status file. */
    static long peakRss(Path status) {
        try {
            return Files.readAllLines(status).stream().filter(l -> l.startsWith("VmHWM:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")) * 1024).findFirst().orElse(-1);
        } catch (IOException e) {
            return -1;
        }
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }

}
