import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The libvips reference of the resize benchmark: Debian's libvips called in-process through the FFM API (JDK 22+, no
 * compiler, no -dev package), so it runs as the C program of ../shared/research/perf/cvips/vipsbench.c ("once" mode)
 * does. Per image, from the bytes in memory: one decode with shrink-on-load to the large rendition
 * ({@code vips_thumbnail_buffer}, 1280x1280 box, never upscaled), materialised once, the small (640x640) and the thumbnail
 * (150x150, centre crop) scaled from it, each saved as JPEG Q85 or PNG (compression 6), metadata stripped. One thread
 * ({@code vips_concurrency_set(1)}), no operation cache. Prints the lines {@code ResizeWorker} prints.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED src/test/vips/VipsReference.java LIST PASSES OUTDIR|-
 * </pre>
 *
 * Not part of the build: the benchmark starts it with a JDK 22+ when one is installed.
 */
public class VipsReference {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong SIZE = ValueLayout.JAVA_LONG;
    private static final java.lang.foreign.AddressLayout PTR = ValueLayout.ADDRESS;
    private static final int SIZE_DOWN = 2; // VipsSize
    private static final int INTERESTING_CENTRE = 1; // VipsInteresting
    private static final int TRUE = 1;

    private static SymbolLookup libraries;

    public static void main(String[] args) throws Throwable {
        Arena arena = Arena.global();
        SymbolLookup vips = SymbolLookup.libraryLookup("libvips.so.42", arena);
        libraries = vips.or(SymbolLookup.libraryLookup("libgobject-2.0.so.0", arena))
                .or(SymbolLookup.libraryLookup("libglib-2.0.so.0", arena));
        MethodHandle init = handle("vips_init", FunctionDescriptor.of(INT, PTR));
        MethodHandle version = handle("vips_version_string", FunctionDescriptor.of(PTR));
        MethodHandle concurrency = handle("vips_concurrency_set", FunctionDescriptor.ofVoid(INT));
        MethodHandle cacheMax = handle("vips_cache_set_max", FunctionDescriptor.ofVoid(INT));
        MethodHandle errorBuffer = handle("vips_error_buffer", FunctionDescriptor.of(PTR));
        MethodHandle errorClear = handle("vips_error_clear", FunctionDescriptor.ofVoid());
        MethodHandle unref = handle("g_object_unref", FunctionDescriptor.ofVoid(PTR));
        MethodHandle free = handle("g_free", FunctionDescriptor.ofVoid(PTR));
        MethodHandle copyMemory = handle("vips_image_copy_memory", FunctionDescriptor.of(PTR, PTR));
        // int vips_thumbnail_buffer(void *buf, size_t len, VipsImage **out, int width, "height", h, "size", s, NULL)
        MethodHandle thumbnailBuffer = variadic("vips_thumbnail_buffer", 4, INT, PTR, SIZE, PTR, INT, PTR, INT, PTR, INT, PTR);
        // int vips_thumbnail_image(VipsImage *in, VipsImage **out, int width, "height", h, "size", s, "crop", c, NULL)
        MethodHandle thumbnailImage = variadic("vips_thumbnail_image", 3, INT, PTR, PTR, INT, PTR, INT, PTR, INT, PTR, INT, PTR);
        // int vips_jpegsave_buffer(VipsImage *in, void **buf, size_t *len, "Q", 85, "strip", TRUE, NULL)
        MethodHandle jpegSave = variadic("vips_jpegsave_buffer", 3, INT, PTR, PTR, PTR, PTR, INT, PTR, INT, PTR);
        // int vips_pngsave_buffer(VipsImage *in, void **buf, size_t *len, "compression", 6, "strip", TRUE, NULL)
        MethodHandle pngSave = variadic("vips_pngsave_buffer", 3, INT, PTR, PTR, PTR, PTR, INT, PTR, INT, PTR);

        if ((int) init.invokeExact(arena.allocateFrom("VipsReference")) != 0) {
            throw new IllegalStateException("vips_init failed");
        }
        concurrency.invokeExact(1);
        cacheMax.invokeExact(0);
        System.out.printf("vips\tlibvips %s in-process (FFM): one decode with shrink-on-load, renditions from it, one thread%n",
                ((MemorySegment) version.invokeExact()).reinterpret(64).getString(0));

        List<String> files = Files.readAllLines(Path.of(args[0]));
        int passes = Integer.parseInt(args[1]);
        String outDir = args[2];
        List<MemorySegment> originals = new ArrayList<>();
        for (String file : files) {
            byte[] bytes = Files.readAllBytes(Path.of(file));
            originals.add(arena.allocate(bytes.length).copyFrom(MemorySegment.ofArray(bytes)));
        }
        MemorySegment height = arena.allocateFrom("height");
        MemorySegment size = arena.allocateFrom("size");
        MemorySegment crop = arena.allocateFrom("crop");
        MemorySegment quality = arena.allocateFrom("Q");
        MemorySegment compression = arena.allocateFrom("compression");
        MemorySegment strip = arena.allocateFrom("strip");
        MemorySegment image = arena.allocate(PTR);
        MemorySegment buffer = arena.allocate(PTR);
        MemorySegment length = arena.allocate(SIZE);
        String[] names = { "large", "small", "thumb" };

        for (int pass = 1; pass <= passes; pass++) {
            long passStart = System.nanoTime();
            for (int i = 0; i < files.size(); i++) {
                boolean png = files.get(i).endsWith(".png");
                MemorySegment original = originals.get(i);
                long start = System.nanoTime();
                long bytes = 0;
                String error = null;
                List<byte[]> outputs = new ArrayList<>();
                if ((int) thumbnailBuffer.invokeExact(original, original.byteSize(), image, 1280, height, 1280, size, SIZE_DOWN, MemorySegment.NULL) != 0) {
                    error = "thumbnail_buffer";
                } else {
                    MemorySegment decoded = image.get(PTR, 0);
                    MemorySegment large = (MemorySegment) copyMemory.invokeExact(decoded);
                    unref.invokeExact(decoded);
                    for (int r = 0; r < 3 && error == null; r++) {
                        MemorySegment rendition = large;
                        if (r > 0) {
                            int box = r == 1 ? 640 : 150;
                            if ((int) thumbnailImage.invokeExact(large, image, box, height, box, size, SIZE_DOWN, crop, r == 2 ? INTERESTING_CENTRE : 0,
                                    MemorySegment.NULL) != 0) {
                                error = "thumbnail_image";
                                break;
                            }
                            rendition = image.get(PTR, 0);
                        }
                        int saved = png ? (int) pngSave.invokeExact(rendition, buffer, length, compression, 6, strip, TRUE, MemorySegment.NULL)
                                : (int) jpegSave.invokeExact(rendition, buffer, length, quality, 85, strip, TRUE, MemorySegment.NULL);
                        if (saved != 0) {
                            error = "save";
                        } else {
                            MemorySegment out = buffer.get(PTR, 0);
                            long n = length.get(SIZE, 0);
                            bytes += n;
                            if (pass == passes && !outDir.equals("-")) {
                                outputs.add(out.reinterpret(n).toArray(ValueLayout.JAVA_BYTE));
                            }
                            free.invokeExact(out);
                        }
                        if (r > 0) {
                            unref.invokeExact(rendition);
                        }
                    }
                    unref.invokeExact(large);
                }
                long nanos = System.nanoTime() - start;
                if (error != null) {
                    error += ": " + ((MemorySegment) errorBuffer.invokeExact()).reinterpret(4096).getString(0).replace('\t', ' ').replace('\n', ' ');
                    errorClear.invokeExact();
                }
                System.out.printf(Locale.ROOT, "%d\t%s\t%d\t%d\t%s%n", pass, files.get(i), nanos, bytes, error == null ? "ok" : error);
                for (int r = 0; r < outputs.size(); r++) {
                    Files.write(Path.of(outDir, Path.of(files.get(i)).getFileName() + "." + names[r] + (png ? ".png" : ".jpg")), outputs.get(r));
                }
            }
            System.out.printf("wall\t%d\t%d%n", pass, System.nanoTime() - passStart);
        }
        System.out.printf("rss\t%d%n", Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")) * 1024).findFirst().orElse(-1));
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(libraries.findOrThrow(name), descriptor);
    }

    private static MethodHandle variadic(String name, int fixed, java.lang.foreign.MemoryLayout result, java.lang.foreign.MemoryLayout... arguments) {
        return LINKER.downcallHandle(libraries.findOrThrow(name), FunctionDescriptor.of(result, arguments), Linker.Option.firstVariadicArg(fixed));
    }
}
