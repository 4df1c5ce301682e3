package dev.imageresizer.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Everything the resizer can be told, under the prefix {@code resizer}. Object store and Kafka connections are configured
 * through their own extensions ({@code quarkus.minio.*}, {@code kafka.bootstrap.servers}, {@code mp.messaging.*}).
 * {@code pipeline.ConfigCheck} refuses to start on a configuration that cannot work.
 */
@ConfigMapping(prefix = "resizer")
public interface ResizerConfig {

    /** Which bucket notifications are acted on. */
    Source source();

    /** Where renditions are written. */
    Destination destination();

    /**
     * The renditions to produce, by name; the name is the first segment of the rendition key. Defaults (set in
     * {@code application.properties}): {@code thumb} 150x150 cover, {@code small} 640x640 bound, {@code large} 1280x1280
     * bound, all format {@code same}, quality 85.
     */
    Map<String, Rendition> renditions();

    /** The JSON manifest written next to each original's renditions. */
    Manifest manifest();

    /**
     * Animated GIFs: {@code first-frame} makes every rendition a still of the first frame (PNG or JPEG, as the format
     * says); {@code keep} makes the renditions whose format is {@code same} animated GIFs of every frame, with the
     * original's timing and looping. Default {@code first-frame}.
     */
    @WithDefault("first-frame")
    Animation animation();

    enum Animation {
        FIRST_FRAME,
        KEEP
    }

    /** Bounds on what is fetched and decoded. */
    Limits limits();

    /** The announcement of stored renditions on Kafka. */
    Announce announce();

    /** The direct Kafka consumer (channel {@code bucket-events}). */
    Consumer consumer();

    /**
     * At startup, in the background, run two small images through the imaging steps and connect to the object store
     * and Kafka, so that the first event after a scale from zero does not pay for it. Default {@code true}.
     */
    @WithDefault("true")
    boolean warmUp();

    /**
     * Serve the page at {@code /resizer/dev} where one drops images and watches them go through, and sees the latest
     * originals already in the source buckets with their renditions or refusals, with its small API (uploads into the
     * source bucket under {@code dev-page/}, reads of renditions and manifests, a listing, the failure topic's tail).
     * For development only: it needs no credentials. Default {@code false}; {@code true} in dev mode.
     */
    @WithDefault("false")
    boolean devPage();

    /** How JPEGs are decoded and encoded. */
    Jpeg jpeg();

    /** The HTTP entry point (the KafkaSource's CloudEvents). */
    Http http();

    /** TLS to the object store. */
    ObjectStore objectStore();

    interface Http {
        /**
         * When set, only CloudEvents whose {@code ce-source} is in this list are processed; others get 403 and are
         * logged. An entry ending in {@code *} matches every source that starts with what precedes it, e.g.
         * {@code /apis/v1/namespaces/media/kafkasources/*}. Default: every source.
         */
        Optional<List<String>> allowedSources();
    }

    interface ObjectStore {
        /**
         * A PEM file of CA certificates to trust for https to the object store (a private CA, a self-signed MinIO), in
         * place of the JDK's own. Certificates and host names are always verified. Default: the JDK's CAs.
         */
        Optional<Path> trustStore();
    }

    interface Jpeg {
        /**
         * {@code auto}: libjpeg-turbo when its Java binding is installed (Debian/Ubuntu {@code libturbojpeg-java}),
         * ImageIO otherwise; {@code java}: always ImageIO. Default {@code auto}.
         */
        @WithDefault("auto")
        JpegCodec codec();

        /** Where the libjpeg-turbo Java binding is looked for. Default {@code /usr/share/java/turbojpeg.jar}. */
        @WithDefault("/usr/share/java/turbojpeg.jar")
        Path turbojpegJar();
    }

    enum JpegCodec {
        AUTO,
        JAVA
    }

    /** HEIC/HEIF and AVIF originals, and AVIF renditions, through libheif (Debian/Ubuntu {@code libheif1}). */
    Heif heif();

    interface Heif {
        /**
         * The libheif shared library, by soname or path, loaded at startup when present. Without it HEIC/HEIF and AVIF
         * originals are refused as {@code unsupported} and a rendition of format {@code avif} refuses startup. Default
         * {@code libheif.so.1}.
         */
        @WithDefault("libheif.so.1")
        String library();

        /**
         * libaom's speed for AVIF renditions, 0 (slowest, smallest files) to 9 (fastest): at 9 a 1280 px rendition costs
         * about a quarter of what it costs at 8, for files about 5% larger. Default 9.
         */
        @WithDefault("9")
        int avifSpeed();

        /**
         * HEIC/HEIF and AVIF originals with more megapixels are refused from their header, before decoding: libheif
         * decodes at full size, in native memory outside the Java heap (about 6 bytes per pixel at its peak, 300 MB for
         * a 48 MP photo), so they have a limit of their own besides {@code resizer.limits.max-source-megapixels}. Default
         * 50.
         */
        @WithDefault("50")
        int maxMegapixels();
    }

    interface Source {
        /** Buckets whose uploads are resized. Default {@code images}. */
        @WithDefault("images")
        List<String> buckets();

        /**
         * Only keys starting with one of these prefixes are resized. In a prefix, {@code *} stands for any part of one
         * path segment and {@code **} for any number of segments, e.g. {@code users/*}{@code /avatars/}. Default:
         * every key.
         */
        Optional<List<String>> includePrefixes();

        /** Keys starting with one of these prefixes (wildcards as for the include prefixes) are ignored. Default: none. */
        Optional<List<String>> excludePrefixes();

        /**
         * Delete each original once all its renditions and its manifest are stored and announced ({@code on_success}
         * in Firebase's terms). Refused originals are never deleted. Default {@code false}.
         */
        @WithDefault("false")
        boolean deleteOriginal();
    }

    interface Destination {
        /** Bucket the renditions go to; created if missing. Default {@code processed}. */
        @WithDefault("processed")
        String bucket();

        /** Prefix put before every rendition key, e.g. {@code renditions/}. Default: none. */
        Optional<String> prefix();

        /**
         * How rendition keys are named after the prefix, from {@code {rendition}}, {@code {width}}, {@code {height}},
         * {@code {bucket}}, {@code {key}}, {@code {dir}}, {@code {name}} and {@code {ext}}; e.g. Firebase's
         * {@code {dir}{name}_{width}x{height}.{ext}}. Default: {@code {rendition}/{key}} (with {@code {bucket}/} before
         * the key when there are several source buckets, and {@code .{ext}} appended when the format changes).
         */
        Optional<String> keyTemplate();

        /**
         * Copy the original's user metadata ({@code x-amz-meta-*}, unless the total would pass S3's 2 KB), its
         * {@code Content-Disposition} and its {@code Cache-Control} to every rendition. Default {@code true}.
         */
        @WithDefault("true")
        boolean copyMetadata();

        /**
         * {@code Cache-Control} of every rendition and manifest, e.g. {@code public, max-age=31536000, immutable}
         * (rendition keys never change content without a new original). Default: the original's, when copied.
         */
        Optional<String> cacheControl();

        /**
         * Refused originals that exist (not an image, corrupt, unsupported, too large) are copied, without download, to
         * this prefix of the destination bucket, e.g. {@code failed/}, with the reason as user metadata
         * {@code resizer-rejection}. Default: not copied.
         */
        Optional<String> failedPrefix();
    }

    interface Rendition {
        /** Box width in pixels. No default: required for a rendition of your own. */
        int width();

        /** Box height in pixels. No default: required for a rendition of your own. */
        int height();

        /** {@code bound}: fit inside the box, keep the aspect ratio; {@code cover}: fill the box, crop (see {@code crop}). Default {@code bound}. */
        @WithDefault("bound")
        Fit fit();

        /**
         * Where a {@code cover} rendition's window is cut from the scaled image: {@code centre}; {@code attention}, where
         * edges, skin tones and saturated colours are (as libvips' smartcrop attention); {@code entropy}, the window whose
         * luminance histogram has the most entropy. An original's {@code focus-x}/{@code focus-y} user metadata wins over
         * any of them. Only for {@code cover}: set on a {@code bound} rendition, startup is refused. Default {@code centre}.
         */
        Optional<Crop> crop();

        /**
         * {@code same}: JPEG stays JPEG, PNG stays PNG, other inputs become PNG if they have alpha, else JPEG;
         * {@code jpeg}, {@code png} or {@code webp} for every original; {@code avif} (through libheif, which must then be
         * installed, see {@code resizer.heif}). Default {@code same}.
         */
        @WithDefault("same")
        OutputFormat format();

        /**
         * JPEG and lossy WebP quality, 1 to 100; for {@code avif} libheif's quality, where about 70 matches JPEG 85 (by
         * PSNR) in about 70% of its bytes, and 85 makes files larger than JPEG 85's. Default 85.
         */
        @WithDefault("85")
        int quality();

        /**
         * WebP renditions only: {@code false} encodes lossy at {@code quality}; {@code true} lossless; {@code alpha}
         * lossless where the rendition has a pixel that is not fully opaque (logos, icons, cut-outs), lossy otherwise.
         * Default {@code false}.
         */
        @WithDefault("false")
        Lossless lossless();

        /**
         * Set to {@code true} to add a {@code webp} rendition beside this one, named {@code <name>-webp}: the same box, fit
         * and crop, lossy at the same quality (the {@code <picture>} pattern in one line). Default {@code false}.
         */
        @WithDefault("false")
        boolean alsoWebp();

        /** Set to {@code false} to switch a rendition off, e.g. one of the defaults. Default {@code true}. */
        @WithDefault("true")
        boolean enabled();
    }

    enum Fit {
        BOUND,
        COVER
    }

    enum Crop {
        CENTRE,
        ATTENTION,
        ENTROPY
    }

    enum OutputFormat {
        SAME,
        JPEG,
        PNG,
        AVIF,
        WEBP
    }

    // how a WebP rendition is compressed (see Rendition.lossless); false and true read like the boolean they mostly are
    enum Lossless {
        FALSE,
        TRUE,
        ALPHA
    }

    interface Manifest {
        /**
         * Write {@code <prefix><name>/<key>.json} in the destination bucket once an original's renditions are stored:
         * every rendition (key, width, height, bytes, content type), the source's dimensions and ETag, its dominant
         * colour and a ThumbHash placeholder, ready for a front end's {@code srcset}. Default {@code true}.
         */
        @WithDefault("true")
        boolean enabled();

        /** The first segment of the manifest keys, as a rendition's name is for its keys. Default {@code manifest}. */
        @WithDefault("manifest")
        String name();
    }

    interface Limits {
        /** Larger originals are rejected before download. Default 64M. */
        @WithDefault("64M")
        MemorySize maxSourceSize();

        /** Originals with more pixels (read from the header, before decoding) are rejected. Default 100. */
        @WithDefault("100")
        int maxSourceMegapixels();

        /**
         * Animated originals (GIF) with more frames are rejected before decoding; renditions are made from the first
         * frame. Default 1000.
         */
        @WithDefault("1000")
        int maxFrames();

        /**
         * A decode still running after this is aborted and the original rejected ({@code toolarge}): a bound on what
         * one crafted file can cost, beyond the size and pixel limits. Applies to ImageIO's decoders; libjpeg-turbo
         * cannot be interrupted but needs well under a second for the largest image the pixel limit lets through.
         * Default 30s.
         */
        @WithDefault("30s")
        Duration decodeTimeout();

        /**
         * Originals larger than this are streamed to a temporary file (in {@code java.io.tmpdir}) instead of being held
         * in memory, and decoded from it. Default {@code 16M}.
         */
        @WithDefault("16M")
        MemorySize inMemorySize();
    }

    interface Announce {
        /** Publish one CloudEvent per processed original to the {@code image-renditions} channel. Default {@code true}. */
        @WithDefault("true")
        boolean enabled();
    }

    interface Consumer {
        /**
         * Consume the bucket notification topic directly. Default {@code true}; {@code false} in the production profile,
         * where a KafkaSource delivers the same events over HTTP.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * How many records are resized at once: one image per core is the most a CPU-bound step can use, and each
         * costs its own decoded image in memory. At most 64. Default: the number of processors the JVM sees (the
         * container's CPU limit).
         */
        OptionalInt workers();

        /** First wait before retrying an event that failed for a transient reason. Default 1s. */
        @WithDefault("1s")
        Duration retryInitialBackoff();

        /** Longest wait between retries; the event is retried until it succeeds. Default 30s. */
        @WithDefault("30s")
        Duration retryMaxBackoff();
    }
}
