package dev.imageresizer.imaging;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

/**
 * libjpeg-turbo for JPEG decode and encode, through its own JNI binding (the TurboJPEG Java API, Debian packages
 * {@code libturbojpeg-java} and {@code libturbojpeg0}), found at startup and loaded in a class loader of its own: it is
 * not on Maven Central, so it comes from the machine or the container image, never from the build. Decoding scales in
 * the DCT domain (by n/8), which averages pixels instead of dropping them and skips most of the inverse DCT, and the
 * codec is SIMD-accelerated: 3-6x the JDK's libjpeg 6b on progressive JPEGs.
 *
 * <p>
 * Instances are stateless and thread-safe: every call opens and closes its own native handle.
 */
public final class TurboJpeg {

    /** Where Debian and Ubuntu install the binding. */
    public static final Path DEBIAN_JAR = Path.of("/usr/share/java/turbojpeg.jar");

    private static final String PACKAGE = "org.libjpegturbo.turbojpeg.";
    /** TJ.SAMP_420: what ImageIO's JPEG writer uses too. */
    private static final int SAMP_420 = 2;
    /** TJ.ERR_WARNING: the image was decoded, with a complaint. */
    private static final int ERR_WARNING = 0;

    /**
     * The result of looking for the codec.
     *
     * @param codec the codec, when it loaded
     * @param name {@code libjpeg-turbo} or {@code imageio}: what announcements report
     * @param description what to tell the operator, with the reason when the codec did not load
     */
    public record Probe(Optional<TurboJpeg> codec, String name, String description) {

        static Probe java(String why) {
            return new Probe(Optional.empty(), "imageio", "Java (ImageIO): " + why);
        }
    }

    private final MethodHandle newDecompressor;
    private final MethodHandle jpegWidth;
    private final MethodHandle jpegHeight;
    private final MethodHandle decompressInto;
    private final MethodHandle closeDecompressor;
    private final MethodHandle newCompressor;
    private final MethodHandle setSubsampling;
    private final MethodHandle setQuality;
    private final MethodHandle compress;
    private final MethodHandle compressedSize;
    private final MethodHandle closeCompressor;
    private final MethodHandle errorCode;

    private TurboJpeg(ClassLoader loader) throws ReflectiveOperationException {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        Class<?> decompressor = Class.forName(PACKAGE + "TJDecompressor", true, loader);
        Class<?> compressor = Class.forName(PACKAGE + "TJCompressor", true, loader);
        Class<?> exception = Class.forName(PACKAGE + "TJException", true, loader);
        newDecompressor = lookup.findConstructor(decompressor, MethodType.methodType(void.class, byte[].class));
        jpegWidth = lookup.findVirtual(decompressor, "getWidth", MethodType.methodType(int.class));
        jpegHeight = lookup.findVirtual(decompressor, "getHeight", MethodType.methodType(int.class));
        decompressInto = lookup.findVirtual(decompressor, "decompress", MethodType.methodType(void.class, BufferedImage.class, int.class));
        closeDecompressor = lookup.findVirtual(decompressor, "close", MethodType.methodType(void.class));
        newCompressor = lookup.findConstructor(compressor, MethodType.methodType(void.class, BufferedImage.class, int.class, int.class, int.class, int.class));
        setSubsampling = lookup.findVirtual(compressor, "setSubsamp", MethodType.methodType(void.class, int.class));
        setQuality = lookup.findVirtual(compressor, "setJPEGQuality", MethodType.methodType(void.class, int.class));
        compress = lookup.findVirtual(compressor, "compress", MethodType.methodType(byte[].class, int.class));
        compressedSize = lookup.findVirtual(compressor, "getCompressedSize", MethodType.methodType(int.class));
        closeCompressor = lookup.findVirtual(compressor, "close", MethodType.methodType(void.class));
        errorCode = lookup.findVirtual(exception, "getErrorCode", MethodType.methodType(int.class));
    }

    /** Each binding is probed once per class loader of this class. */
    private static final Map<Path, Probe> LOADED = new ConcurrentHashMap<>();

    /**
     * Loads the binding from {@code jar} (once per JVM) and proves it with a round trip through the native library.
     *
     * @return the codec, or empty with the reason in the description
     */
    public static Probe probe(Path jar) {
        return probe(jar, true);
    }

    /** @param enabled {@code false} when configuration asks for ImageIO only */
    public static Probe probe(Path jar, boolean enabled) {
        if (!enabled) {
            return Probe.java("resizer.jpeg.codec=java");
        }
        if (System.getProperty("org.graalvm.nativeimage.imagecode") != null) {
            return Probe.java("a native image loads no classes at run time");
        }
        if (!Files.isRegularFile(jar)) {
            return Probe.java("no libjpeg-turbo binding at " + jar + " (Debian/Ubuntu package libturbojpeg-java)");
        }
        return LOADED.computeIfAbsent(jar.toAbsolutePath(), TurboJpeg::load);
    }

    private static Probe load(Path jar) {
        try {
            TurboJpeg codec = new TurboJpeg(sharedLoader(jar));
            BufferedImage sample = new BufferedImage(16, 16, BufferedImage.TYPE_3BYTE_BGR);
            codec.decode(codec.encode(sample, 85), 16, 16);
            return new Probe(Optional.of(codec), "libjpeg-turbo", "libjpeg-turbo (TurboJPEG JNI binding " + jar + ")");
        } catch (Throwable e) { // UnsatisfiedLinkError from the native library, or a binding of another version
            return Probe.java("the libjpeg-turbo binding at " + jar + " did not load (" + e + ")");
        }
    }

    /**
     * The binding's class loader, one per JVM. A JNI library binds to the first class loader that loads it, and Quarkus
     * runs the application in class loaders that come and go (dev-mode restarts, tests), so this loader is kept where
     * each of them finds it: as the context class loader of a parked daemon thread named after the jar. Its parent is
     * the platform class loader, so it holds on to no application class.
     */
    private static ClassLoader sharedLoader(Path jar) throws IOException {
        String name = "turbojpeg-binding " + jar;
        synchronized (name.intern()) {
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().equals(name)) {
                    return thread.getContextClassLoader();
                }
            }
            URLClassLoader loader = new URLClassLoader("turbojpeg", new URL[] { jar.toUri().toURL() }, ClassLoader.getPlatformClassLoader());
            Thread holder = new Thread(() -> {
                while (true) {
                    LockSupport.park();
                }
            }, name);
            holder.setDaemon(true);
            holder.setContextClassLoader(loader);
            holder.start();
            return loader;
        }
    }

    /**
     * The scale, n/8, of the smallest DCT-scaled decode at least {@code minimumScale} of the original's size.
     *
     * @return n in 1..8
     */
    public static int eighths(double minimumScale) {
        return (int) Math.max(1, Math.min(8, Math.ceil(minimumScale * 8 - 1e-9)));
    }

    /** The width (or height) TurboJPEG decodes {@code size} pixels to at {@code eighths}/8. */
    public static int scaled(int size, int eighths) {
        return (size * eighths + 7) / 8;
    }

    /**
     * Decodes a JPEG scaled by {@code eighths}/8 into 8-bit BGR.
     *
     * @return the image, or empty when libjpeg-turbo cannot decode this JPEG (CMYK, damaged, ...): ImageIO gets to try
     * @throws TruncatedJpegException when scan data is missing, which would come out as a grey band
     */
    public Optional<BufferedImage> decode(byte[] jpeg, int eighths) {
        try {
            Object decompressor = newDecompressor.invoke(jpeg);
            try {
                int width = scaled((int) jpegWidth.invoke(decompressor), eighths);
                int height = scaled((int) jpegHeight.invoke(decompressor), eighths);
                return Optional.of(decode(decompressor, width, height));
            } finally {
                closeDecompressor.invoke(decompressor);
            }
        } catch (TruncatedJpegException e) {
            throw e;
        } catch (Throwable e) {
            return Optional.empty();
        }
    }

    private BufferedImage decode(byte[] jpeg, int width, int height) throws Throwable {
        Object decompressor = newDecompressor.invoke(jpeg);
        try {
            return decode(decompressor, width, height);
        } finally {
            closeDecompressor.invoke(decompressor);
        }
    }

    private BufferedImage decode(Object decompressor, int width, int height) throws Throwable {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        try {
            decompressInto.invoke(decompressor, image, 0);
        } catch (Exception e) {
            if (!isWarning(e)) {
                throw e;
            }
            if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("premature end")) {
                throw new TruncatedJpegException(e.getMessage());
            }
            // other warnings (extraneous bytes, a bad marker after the image) leave a complete image
        }
        return image;
    }

    /** Encodes an opaque image as baseline JPEG, 4:2:0, at {@code quality}. */
    public byte[] encode(BufferedImage image, int quality) {
        try {
            Object compressor = newCompressor.invoke(image, 0, 0, image.getWidth(), image.getHeight());
            try {
                setSubsampling.invoke(compressor, SAMP_420);
                setQuality.invoke(compressor, quality);
                byte[] buffer = (byte[]) compress.invoke(compressor, 0);
                return Arrays.copyOf(buffer, (int) compressedSize.invoke(compressor));
            } finally {
                closeCompressor.invoke(compressor);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("libjpeg-turbo could not encode a " + image.getWidth() + "x" + image.getHeight() + " image", e);
        }
    }

    private boolean isWarning(Exception e) {
        try {
            return (int) errorCode.invoke(e) == ERR_WARNING;
        } catch (Throwable notATurboJpegException) {
            return false;
        }
    }

    /** libjpeg-turbo's "premature end of data segment": the file lost part of its scan data. */
    public static final class TruncatedJpegException extends RuntimeException {
        TruncatedJpegException(String message) {
            super(message);
        }
    }
}
