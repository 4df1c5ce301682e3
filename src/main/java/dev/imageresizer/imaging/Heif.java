package dev.imageresizer.imaging;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

import dev.imageresizer.failure.Failure;
import dev.imageresizer.failure.Failure.Reason;

/**
 * libheif (Debian/Ubuntu {@code libheif1}, with libde265 for HEVC, dav1d and libaom for AV1) through JNA: reads HEIC/HEIF
 * and AVIF originals and writes AVIF renditions. Like libjpeg-turbo it comes from the machine or the container image,
 * never from the build: {@link #probe} loads it by its soname, {@code libheif.so.1} (the unversioned name comes only
 * with {@code libheif-dev}), once per JVM.
 *
 * <p>
 * What a hostile file could do to the JVM, and what stops it: libheif parses the boxes and checks its own compiled-in
 * limits (box counts, item extents, a 512 MB memory block, 32768 pixels a side for every image and tile, lower when the
 * pixel limit is), and the pixel limits are checked from the primary image's header (its {@code ispe} after
 * {@code clap}/{@code irot}) before anything is decoded. Every native result is checked before it is read: a
 * null handle or plane, a plane of another size, chroma or depth than asked for, a stride shorter than a row. The
 * remaining risk is a memory error inside libheif or a codec on a crafted stream, which no check from Java can rule
 * out: keep {@code libheif1} and its codecs patched (Debian security updates).
 *
 * <p>
 * Orientation: libheif applies the file's {@code irot}/{@code imir} (and {@code clap}) while decoding, so the decoded
 * image is upright and its inspected orientation is 1. An EXIF orientation in a HEIF file is informative (ISO/IEC
 * 23008-12: the transformative properties rule; iPhones write both) and is never applied on top, as libvips does.
 *
 * <p>
 * Instances are thread-safe: every call has its own context.
 */
public final class Heif {

    /** The soname of libheif 1.x, as Debian's {@code libheif1} installs it. */
    public static final String SONAME = "libheif.so.1";

    /** What to tell an operator whose machine lacks it. */
    public static final String INSTALL = "apt-get install libheif1";

    // enum values from libheif 1.15's heif.h
    private static final int COMPRESSION_HEVC = 1;
    private static final int COMPRESSION_AV1 = 4;
    private static final int COLORSPACE_RGB = 1;
    private static final int CHROMA_RGB = 10;
    private static final int CHROMA_RGBA = 11;
    private static final int CHANNEL_INTERLEAVED = 10;
    private static final int ERROR_UNSUPPORTED_FILETYPE = 3;
    private static final int ERROR_UNSUPPORTED_FEATURE = 4;
    private static final int SUBERROR_SECURITY_LIMIT = 1000;
    /** libheif 1.15's own MAX_IMAGE_WIDTH and MAX_IMAGE_HEIGHT. */
    private static final int LIBHEIF_MAX_SIDE = 32768;
    /** Larger embedded ICC profiles are not read (the largest real ones are a few hundred KB). */
    private static final long MAX_PROFILE_BYTES = 4 << 20;
    /** Offset of {@code convert_hdr_to_8bit} in {@code struct heif_decoding_options} (a version 2 field), LP64. */
    private static final int DECODING_OPTIONS_HDR_TO_8BIT = 40;

    /** {@code struct heif_error}, which libheif returns by value: 16 bytes, in two registers on x86_64 and aarch64. */
    @Structure.FieldOrder({ "code", "subcode", "message" })
    public static class HeifError extends Structure {
        public int code;
        public int subcode;
        public Pointer message;

        /** The by-value form, as every libheif function that reports an error returns it. */
        public static final class ByValue extends HeifError implements Structure.ByValue {
        }

        String text() {
            return message == null ? "(no message)" : message.getString(0, "UTF-8");
        }
    }

    /** {@code struct heif_writer}: libheif hands the encoded file to {@link #write} in one or more pieces. */
    @Structure.FieldOrder({ "writer_api_version", "write" })
    public static final class HeifWriter extends Structure {
        public int writer_api_version = 1;
        public WriteCallback write;
    }

    /** {@code struct heif_error (*write)(struct heif_context*, const void* data, size_t size, void* userdata)}. */
    public interface WriteCallback extends Callback {
        HeifError.ByValue invoke(Pointer context, Pointer data, long size, Pointer userdata);
    }

    /** The part of libheif's C API used here; {@code size_t} is a Java {@code long} (64-bit Linux only). */
    interface Lib extends Library {
        String heif_get_version();

        HeifError.ByValue heif_init(Pointer params);

        int heif_have_decoder_for_format(int format);

        int heif_have_encoder_for_format(int format);

        Pointer heif_context_alloc();

        void heif_context_free(Pointer context);

        void heif_context_set_maximum_image_size_limit(Pointer context, int maximumWidth);

        HeifError.ByValue heif_context_read_from_memory_without_copy(Pointer context, Pointer memory, long size, Pointer options);

        HeifError.ByValue heif_context_read_from_file(Pointer context, String filename, Pointer options);

        HeifError.ByValue heif_context_get_primary_image_handle(Pointer context, PointerByReference handle);

        void heif_image_handle_release(Pointer handle);

        int heif_image_handle_get_width(Pointer handle);

        int heif_image_handle_get_height(Pointer handle);

        int heif_image_handle_has_alpha_channel(Pointer handle);

        long heif_image_handle_get_raw_color_profile_size(Pointer handle);

        HeifError.ByValue heif_image_handle_get_raw_color_profile(Pointer handle, Pointer out);

        Pointer heif_decoding_options_alloc();

        void heif_decoding_options_free(Pointer options);

        HeifError.ByValue heif_decode_image(Pointer handle, PointerByReference image, int colorspace, int chroma, Pointer options);

        int heif_image_get_chroma_format(Pointer image);

        int heif_image_get_width(Pointer image, int channel);

        int heif_image_get_height(Pointer image, int channel);

        int heif_image_get_bits_per_pixel_range(Pointer image, int channel);

        Pointer heif_image_get_plane_readonly(Pointer image, int channel, IntByReference stride);

        Pointer heif_image_get_plane(Pointer image, int channel, IntByReference stride);

        void heif_image_release(Pointer image);

        HeifError.ByValue heif_image_create(int width, int height, int colorspace, int chroma, PointerByReference image);

        HeifError.ByValue heif_image_add_plane(Pointer image, int channel, int width, int height, int bitDepth);

        HeifError.ByValue heif_context_get_encoder_for_format(Pointer context, int format, PointerByReference encoder);

        void heif_encoder_release(Pointer encoder);

        HeifError.ByValue heif_encoder_set_lossy_quality(Pointer encoder, int quality);

        HeifError.ByValue heif_encoder_set_parameter(Pointer encoder, String name, String value);

        HeifError.ByValue heif_context_encode_image(Pointer context, Pointer image, Pointer encoder, Pointer options, Pointer outHandle);

        HeifError.ByValue heif_context_write(Pointer context, HeifWriter writer, Pointer userdata);
    }

    /**
     * The result of looking for libheif.
     *
     * @param codec libheif, when it loaded and decodes at least one of HEVC and AV1
     * @param description what to tell the operator: the version and codecs, or why it is absent
     */
    public record Probe(Optional<Heif> codec, String description) {

        /** No libheif: HEIC/AVIF originals are refused as unsupported, {@code avif} renditions refuse startup. */
        public static Probe absent(String why) {
            return new Probe(Optional.empty(), "none (" + why + "; " + INSTALL + ")");
        }

        /** Whether AVIF renditions can be written. */
        public boolean encodesAvif() {
            return codec.map(Heif::encodesAvif).orElse(false);
        }
    }

    /** The default of {@code resizer.heif.avif-speed}. */
    public static final int DEFAULT_AVIF_SPEED = 9;

    /** The default of {@code resizer.heif.max-megapixels}, in pixels. */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;

    private static final Map<String, Probe> LOADED = new ConcurrentHashMap<>();

    private final Lib lib;
    private final String version;
    private final boolean decodesHevc;
    private final boolean decodesAv1;
    private final boolean encodesAv1;
    private final int avifSpeed;
    private final long maxPixels;

    private Heif(Lib lib, int avifSpeed, long maxPixels) {
        this.lib = lib;
        this.version = lib.heif_get_version();
        this.decodesHevc = lib.heif_have_decoder_for_format(COMPRESSION_HEVC) != 0;
        this.decodesAv1 = lib.heif_have_decoder_for_format(COMPRESSION_AV1) != 0;
        this.encodesAv1 = lib.heif_have_encoder_for_format(COMPRESSION_AV1) != 0;
        this.avifSpeed = avifSpeed;
        this.maxPixels = maxPixels;
    }

    /** libheif by its soname, with the defaults of {@code resizer.heif.*}. */
    public static Probe probe() {
        return probe(SONAME, DEFAULT_AVIF_SPEED, DEFAULT_MAX_PIXELS);
    }

    /**
     * Loads libheif (once per JVM and library) and proves it: an AVIF round trip when it has an AV1 encoder.
     *
     * @param library a soname or a path, e.g. {@code libheif.so.1} or {@code /opt/libheif/lib/libheif.so.1}
     * @param avifSpeed libaom's speed for AVIF renditions, 0 (slowest, smallest) to 9
     * @param maxPixels HEIC/HEIF and AVIF originals with more pixels are refused from their header: libheif decodes at
     *        full size, in native memory outside the Java heap
     * @return libheif, or empty with the reason in the description
     */
    public static Probe probe(String library, int avifSpeed, long maxPixels) {
        if (System.getProperty("org.graalvm.nativeimage.imagecode") != null) {
            return Probe.absent("a native image carries no JNA configuration for libheif");
        }
        return LOADED.computeIfAbsent(library + "@" + avifSpeed + "@" + maxPixels, key -> load(library, avifSpeed, maxPixels));
    }

    private static Probe load(String library, int avifSpeed, long maxPixels) {
        Heif heif;
        try {
            Lib lib = Native.load(library, Lib.class);
            HeifError error = lib.heif_init(null);
            if (error.code != 0) {
                return Probe.absent(library + " did not initialise: " + error.text());
            }
            heif = new Heif(lib, avifSpeed, maxPixels);
        } catch (LinkageError | RuntimeException e) { // UnsatisfiedLinkError: not installed, or a libheif without these functions
            return Probe.absent(library + " did not load (" + e.getMessage() + ")");
        }
        if (!heif.decodesHevc && !heif.decodesAv1) {
            return Probe.absent(library + " " + heif.version + " has neither an HEVC nor an AV1 decoder");
        }
        if (heif.encodesAv1) {
            try {
                BufferedImage sample = new BufferedImage(16, 16, BufferedImage.TYPE_3BYTE_BGR);
                byte[] avif = heif.encodeAvif(sample, 50);
                heif.decode(ImageData.of(avif), ImageFormat.AVIF, 1);
            } catch (RuntimeException e) {
                return Probe.absent(library + " " + heif.version + " failed an AVIF round trip (" + e.getMessage() + ")");
            }
        }
        return new Probe(Optional.of(heif), "libheif " + heif.version + " (" + heif.codecs() + ")");
    }

    private String codecs() {
        return (decodesHevc ? "HEIC" : "no HEVC decoder") + ", " + (decodesAv1 ? "AVIF" : "no AV1 decoder") + " in, "
                + (encodesAv1 ? "AVIF out at speed " + avifSpeed : "no AV1 encoder");
    }

    /**
     * The most pixels of a HEIC/HEIF or AVIF original ({@code resizer.heif.max-megapixels}): libheif decodes at full
     * size, in native memory outside the Java heap, about 6 bytes per pixel at its peak (300 MB for 48 MP, measured).
     */
    public long maxPixels() {
        return maxPixels;
    }

    /** Whether this libheif has an AV1 encoder (libaom), for AVIF renditions. */
    public boolean encodesAvif() {
        return encodesAv1;
    }

    /**
     * What inspection learns from the primary image's header: its size as shown (after {@code clap} and
     * {@code irot}) and whether it has alpha. Nothing is decoded.
     */
    public record Header(int width, int height, boolean alpha) {
    }

    /**
     * Reads the boxes of a HEIF or AVIF file, not its pixels.
     *
     * @param maxSide no width or height above this is accepted by libheif while parsing
     * @throws Failure.Rejected when libheif refuses the file
     */
    public Header header(ImageData data, ImageFormat format, int maxSide) {
        try (Context context = open(data, format, maxSide)) {
            Pointer handle = context.primary();
            try {
                return new Header(lib.heif_image_handle_get_width(handle), lib.heif_image_handle_get_height(handle),
                        lib.heif_image_handle_has_alpha_channel(handle) != 0);
            } finally {
                lib.heif_image_handle_release(handle);
            }
        }
    }

    /**
     * Decodes the primary image, upright, into 8-bit {@code 3BYTE_BGR} (or {@code 4BYTE_ABGR} with alpha), keeping every
     * {@code subsampling}-th pixel in each direction, and converts it to sRGB when it embeds another RGB ICC profile. Call
     * only after {@link #header} has checked the size against the pixel limit.
     *
     * @throws Failure.Rejected when libheif cannot decode it
     */
    public BufferedImage decode(ImageData data, ImageFormat format, int subsampling) {
        try (Context context = open(data, format, LIBHEIF_MAX_SIDE)) {
            Pointer handle = context.primary();
            try {
                boolean alpha = lib.heif_image_handle_has_alpha_channel(handle) != 0;
                int width = lib.heif_image_handle_get_width(handle);
                int height = lib.heif_image_handle_get_height(handle);
                byte[] icc = iccProfile(handle);
                BufferedImage decoded = decode(handle, format, alpha, width, height, Math.max(1, subsampling));
                Optional<java.awt.color.ICC_ColorSpace> space = icc == null ? Optional.empty() : ColorProfile.nonSrgbProfile(icc);
                return space.isPresent() ? ColorProfile.toSrgbKeepingAlpha(decoded, space.get()) : decoded;
            } finally {
                lib.heif_image_handle_release(handle);
            }
        }
    }

    private BufferedImage decode(Pointer handle, ImageFormat format, boolean alpha, int width, int height, int subsampling) {
        int chroma = alpha ? CHROMA_RGBA : CHROMA_RGB;
        int channels = alpha ? 4 : 3;
        Pointer options = lib.heif_decoding_options_alloc();
        PointerByReference out = new PointerByReference();
        HeifError error;
        try {
            if (options != null && options.getByte(0) >= 2) {
                options.setByte(DECODING_OPTIONS_HDR_TO_8BIT, (byte) 1); // 10- and 12-bit HEIC/AVIF to 8 bits
            }
            error = lib.heif_decode_image(handle, out, COLORSPACE_RGB, chroma, options);
        } finally {
            if (options != null) {
                lib.heif_decoding_options_free(options);
            }
        }
        Pointer image = out.getValue();
        try {
            if (error.code != 0 || image == null) {
                throw rejected(format, "cannot decode", error);
            }
            int w = lib.heif_image_get_width(image, CHANNEL_INTERLEAVED);
            int h = lib.heif_image_get_height(image, CHANNEL_INTERLEAVED);
            IntByReference strideRef = new IntByReference();
            Pointer plane = lib.heif_image_get_plane_readonly(image, CHANNEL_INTERLEAVED, strideRef);
            int stride = strideRef.getValue();
            if (plane == null || lib.heif_image_get_chroma_format(image) != chroma || lib.heif_image_get_bits_per_pixel_range(image, CHANNEL_INTERLEAVED) != 8
                    || w != width || h != height || w <= 0 || h <= 0 || stride < w * channels) {
                throw Failure.rejected(Reason.CORRUPT, "corrupt " + format + ": libheif decoded " + w + "x" + h + " (stride " + stride
                        + ") for a " + width + "x" + height + " image");
            }
            return copy(plane, stride, w, h, channels, subsampling);
        } finally {
            if (image != null) {
                lib.heif_image_release(image);
            }
        }
    }

    /** Copies interleaved RGB(A) rows, every {@code step}-th pixel, into a BGR(A) image Java2D scales directly. */
    private static BufferedImage copy(Pointer plane, int stride, int width, int height, int channels, int step) {
        int outWidth = (width + step - 1) / step;
        int outHeight = (height + step - 1) / step;
        BufferedImage image = new BufferedImage(outWidth, outHeight, channels == 4 ? BufferedImage.TYPE_4BYTE_ABGR : BufferedImage.TYPE_3BYTE_BGR);
        byte[] target = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        byte[] row = new byte[width * channels];
        for (int y = 0; y < outHeight; y++) {
            plane.read((long) y * step * stride, row, 0, row.length);
            int o = y * outWidth * channels;
            for (int x = 0; x < outWidth; x++) {
                int i = x * step * channels;
                if (channels == 4) {
                    target[o++] = row[i + 3];
                }
                target[o++] = row[i + 2];
                target[o++] = row[i + 1];
                target[o++] = row[i];
            }
        }
        return image;
    }

    private byte[] iccProfile(Pointer handle) {
        long size = lib.heif_image_handle_get_raw_color_profile_size(handle);
        if (size <= 0 || size > MAX_PROFILE_BYTES) {
            return null; // none, or nclx only: the pixels are taken as sRGB
        }
        Memory memory = new Memory(size);
        HeifError error = lib.heif_image_handle_get_raw_color_profile(handle, memory);
        return error.code == 0 ? memory.getByteArray(0, (int) size) : null;
    }

    /**
     * Encodes an 8-bit image (any type; alpha kept when it has it) as AVIF with libaom at {@code quality} (libheif's
     * 0-100 scale) and this instance's speed.
     */
    public byte[] encodeAvif(BufferedImage image, int quality) {
        if (!encodesAv1) {
            throw new IllegalStateException("libheif " + version + " has no AV1 encoder");
        }
        boolean alpha = image.getColorModel().hasAlpha();
        int width = image.getWidth();
        int height = image.getHeight();
        int channels = alpha ? 4 : 3;
        Pointer context = lib.heif_context_alloc();
        if (context == null) {
            throw new IllegalStateException("libheif could not allocate a context");
        }
        PointerByReference encoderRef = new PointerByReference();
        PointerByReference imageRef = new PointerByReference();
        try {
            check("get the AV1 encoder", lib.heif_context_get_encoder_for_format(context, COMPRESSION_AV1, encoderRef), encoderRef.getValue());
            Pointer encoder = encoderRef.getValue();
            check("set the quality", lib.heif_encoder_set_lossy_quality(encoder, quality), encoder);
            check("set the speed", lib.heif_encoder_set_parameter(encoder, "speed", Integer.toString(avifSpeed)), encoder);
            check("create an image", lib.heif_image_create(width, height, COLORSPACE_RGB, alpha ? CHROMA_RGBA : CHROMA_RGB, imageRef), imageRef.getValue());
            Pointer heifImage = imageRef.getValue();
            check("add a plane", lib.heif_image_add_plane(heifImage, CHANNEL_INTERLEAVED, width, height, 8), heifImage);
            IntByReference strideRef = new IntByReference();
            Pointer plane = lib.heif_image_get_plane(heifImage, CHANNEL_INTERLEAVED, strideRef);
            if (plane == null || strideRef.getValue() < width * channels) {
                throw new IllegalStateException("libheif gave no plane of " + width + "x" + height);
            }
            int[] argb = new int[width];
            byte[] row = new byte[width * channels];
            for (int y = 0; y < height; y++) {
                image.getRGB(0, y, width, 1, argb, 0, width);
                for (int x = 0, o = 0; x < width; x++) {
                    int p = argb[x];
                    row[o++] = (byte) (p >> 16);
                    row[o++] = (byte) (p >> 8);
                    row[o++] = (byte) p;
                    if (alpha) {
                        row[o++] = (byte) (p >>> 24);
                    }
                }
                plane.write((long) y * strideRef.getValue(), row, 0, row.length);
            }
            check("encode", lib.heif_context_encode_image(context, heifImage, encoder, null, null), context);
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            HeifWriter writer = new HeifWriter();
            writer.write = (ctx, data, size, userdata) -> {
                if (size > 0) {
                    file.write(data.getByteArray(0, Math.toIntExact(size)), 0, (int) size);
                }
                return Success.OK;
            };
            check("write", lib.heif_context_write(context, writer, null), context);
            return file.toByteArray();
        } finally {
            if (imageRef.getValue() != null) {
                lib.heif_image_release(imageRef.getValue());
            }
            if (encoderRef.getValue() != null) {
                lib.heif_encoder_release(encoderRef.getValue());
            }
            lib.heif_context_free(context);
        }
    }

    /**
     * What the writer callback returns: success, with a message libheif may read. Made on first write, so loading this
     * class loads no native code (the native executable loads Heif but never libheif).
     */
    private static final class Success {

        static final HeifError.ByValue OK = ok();
    }

    private static HeifError.ByValue ok() {
        HeifError.ByValue ok = new HeifError.ByValue();
        Memory message = new Memory(8);
        message.setString(0, "Success");
        ok.message = message;
        ok.write();
        return ok;
    }

    private void check(String what, HeifError error, Pointer result) {
        if (error.code != 0 || result == null) {
            throw new IllegalStateException("libheif " + version + " could not " + what + ": " + error.text());
        }
    }

    /** A parsed file: the context and, for data in memory, the native copy libheif reads without copying. */
    private final class Context implements AutoCloseable {
        final Pointer context;
        final Memory bytes;
        final ImageFormat format;

        Context(Pointer context, Memory bytes, ImageFormat format) {
            this.context = context;
            this.bytes = bytes;
            this.format = format;
        }

        Pointer primary() {
            PointerByReference handle = new PointerByReference();
            HeifError error = lib.heif_context_get_primary_image_handle(context, handle);
            if (error.code != 0 || handle.getValue() == null) {
                throw rejected(format, "no primary image", error);
            }
            return handle.getValue();
        }

        @Override
        public void close() {
            lib.heif_context_free(context);
            if (bytes != null) {
                bytes.close();
            }
        }
    }

    private Context open(ImageData data, ImageFormat format, int maxSide) {
        Pointer context = lib.heif_context_alloc();
        if (context == null) {
            throw new IllegalStateException("libheif could not allocate a context");
        }
        Memory copy = null;
        try {
            lib.heif_context_set_maximum_image_size_limit(context, Math.max(1, Math.min(maxSide, LIBHEIF_MAX_SIDE)));
            HeifError error;
            if (data instanceof ImageData.InFile file) {
                error = lib.heif_context_read_from_file(context, file.file().toString(), null);
            } else {
                byte[] bytes = ((ImageData.InMemory) data).bytes();
                copy = new Memory(Math.max(1, bytes.length));
                copy.write(0, bytes, 0, bytes.length);
                error = lib.heif_context_read_from_memory_without_copy(context, copy, bytes.length, null);
            }
            if (error.code != 0) {
                throw rejected(format, "unreadable header", error);
            }
            return new Context(context, copy, format);
        } catch (RuntimeException e) {
            lib.heif_context_free(context);
            if (copy != null) {
                copy.close();
            }
            throw e;
        }
    }

    /** libheif's refusal as a verdict: a security limit is too large, a missing codec or feature unsupported. */
    private Failure.Rejected rejected(ImageFormat format, String where, HeifError error) {
        String detail = where + " (libheif: " + error.text() + ")";
        if (error.subcode == SUBERROR_SECURITY_LIMIT) {
            return Failure.rejected(Reason.TOO_LARGE, "image too large: " + format + " " + detail);
        }
        if (error.code == ERROR_UNSUPPORTED_FEATURE || error.code == ERROR_UNSUPPORTED_FILETYPE) {
            return Failure.rejected(Reason.UNSUPPORTED, "unsupported " + format + ": " + detail);
        }
        return Failure.rejected(Reason.CORRUPT, "corrupt " + format + ": " + detail);
    }

    /** For log lines and tests. */
    @Override
    public String toString() {
        return "libheif " + version + " (" + codecs() + ")";
    }
}
