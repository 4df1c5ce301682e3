package dev.imageresizer.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.Config;

import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.config.ResizerConfig.Animation;
import dev.imageresizer.config.ResizerConfig.OutputFormat;
import dev.imageresizer.imaging.Heif;
import dev.imageresizer.imaging.RenditionSpec;
import dev.imageresizer.imaging.WebP;
import dev.imageresizer.storage.RenditionKeys;
import io.quarkus.logging.Log;

/** Startup checks: a configuration that cannot work is refused with a message naming the key to fix. */
public final class ConfigCheck {

    /** smallrye.messaging.worker.resize-workers.max-concurrency in application.properties. */
    private static final int MAX_WORKERS = 64;

    private static final Pattern RENDITION_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private ConfigCheck() {
    }

    /**
     * @return the enabled renditions, sorted by name
     * @throws IllegalStateException naming the offending key
     */
    public static List<RenditionSpec> validate(ResizerConfig config) {
        return validate(config, WebP::unavailable);
    }

    /** @param webp why WebP cannot be written on this machine, or empty: the probe, run only for a {@code webp} rendition */
    static List<RenditionSpec> validate(ResizerConfig config, Supplier<Optional<String>> webp) {
        List<String> sources = config.source().buckets();
        if (sources.isEmpty() || sources.stream().anyMatch(String::isBlank)) {
            throw invalid("resizer.source.buckets", "name at least one source bucket");
        }
        String destination = config.destination().bucket();
        String prefix = config.destination().prefix().orElse("");
        if (sources.contains(destination)) {
            if (prefix.isEmpty()) {
                throw invalid("resizer.destination.prefix", "the destination bucket '" + destination
                        + "' is also a source bucket, so renditions need a prefix of their own, or they would be resized again");
            }
            List<String> includes = config.source().includePrefixes().orElse(List.of());
            if (!includes.isEmpty() && includes.stream().allMatch(p -> p.startsWith(prefix))) {
                throw invalid("resizer.source.include-prefixes", "every include prefix " + includes
                        + " lies inside the destination " + destination + "/" + prefix + ", where nothing is resized");
            }
        }
        if (config.limits().maxSourceMegapixels() <= 0) {
            throw invalid("resizer.limits.max-source-megapixels", "must be positive");
        }
        if (config.limits().maxFrames() <= 0) {
            throw invalid("resizer.limits.max-frames", "must be positive");
        }
        if (config.limits().decodeTimeout().isNegative() || config.limits().decodeTimeout().isZero()) {
            throw invalid("resizer.limits.decode-timeout", "must be positive");
        }
        if (config.limits().maxSourceSize().asLongValue() <= 0) {
            throw invalid("resizer.limits.max-source-size", "must be positive");
        }
        if (config.limits().inMemorySize().asLongValue() < 0 || config.limits().inMemorySize().asLongValue() > Integer.MAX_VALUE - 8) {
            throw invalid("resizer.limits.in-memory-size", "must be 0 to 2047M");
        }
        if (config.heif().avifSpeed() < 0 || config.heif().avifSpeed() > 9) {
            throw invalid("resizer.heif.avif-speed", "must be 0 to 9");
        }
        if (config.heif().maxMegapixels() <= 0) {
            throw invalid("resizer.heif.max-megapixels", "must be positive");
        }
        int workers = workers(config);
        if (workers < 1 || workers > MAX_WORKERS) {
            throw invalid("resizer.consumer.workers", "must be 1 to " + MAX_WORKERS + ", not " + workers);
        }
        List<RenditionSpec> specs = new ArrayList<>();
        for (Map.Entry<String, ResizerConfig.Rendition> entry : new java.util.TreeMap<>(config.renditions()).entrySet()) {
            String name = entry.getKey();
            ResizerConfig.Rendition r = entry.getValue();
            if (!r.enabled()) {
                continue;
            }
            if (!RENDITION_NAME.matcher(name).matches()) {
                throw invalid("resizer.renditions." + name, "a rendition name is a key segment: letters, digits, '.', '_' or '-'");
            }
            if (r.fit() == ResizerConfig.Fit.BOUND && r.crop().isPresent()) {
                throw invalid("resizer.renditions." + name + ".crop", "only a cover rendition is cropped; this one is bound "
                        + "(fits inside its box, nothing cut). Remove the crop, or set resizer.renditions." + name + ".fit=cover");
            }
            try {
                specs.add(new RenditionSpec(name, r.width(), r.height(), r.fit(), r.format(), r.quality(), r.lossless(),
                        r.crop().orElse(ResizerConfig.Crop.CENTRE)));
            } catch (IllegalArgumentException e) {
                throw invalid("resizer.renditions." + name, e.getMessage());
            }
            if (r.alsoWebp()) {
                String twin = name + "-webp";
                if (r.format() == OutputFormat.WEBP) {
                    throw invalid("resizer.renditions." + name + ".also-webp", "this rendition is webp already");
                }
                if (config.renditions().containsKey(twin)) {
                    throw invalid("resizer.renditions." + name + ".also-webp", "it adds a rendition named " + twin
                            + ", and one of that name is configured: remove either");
                }
                specs.add(new RenditionSpec(twin, r.width(), r.height(), r.fit(), OutputFormat.WEBP, r.quality(),
                        ResizerConfig.Lossless.FALSE, r.crop().orElse(ResizerConfig.Crop.CENTRE)));
            }
        }
        if (specs.isEmpty()) {
            throw invalid("resizer.renditions", "enable at least one rendition");
        }
        List<String> webpRenditions = specs.stream().filter(s -> s.format() == OutputFormat.WEBP).map(RenditionSpec::name).toList();
        if (!webpRenditions.isEmpty()) {
            Optional<String> problem = webp.get();
            if (problem.isPresent()) {
                throw invalid("resizer.renditions." + webpRenditions.get(0) + ".format", "webp cannot be written here ("
                        + problem.get() + "); choose jpeg or png for " + String.join(", ", webpRenditions) + ", or run on Linux x86_64 or aarch64");
            }
            if (config.animation() == Animation.KEEP) {
                Log.infof("Renditions %s are webp: animated GIFs get a still of their first frame there (the WebP encoder writes no animation)",
                        webpRenditions);
            }
        }
        Optional<String> template = config.destination().keyTemplate();
        if (template.isPresent()) {
            Optional<String> problem = RenditionKeys.problem(template.get(), config.source().buckets().size() > 1);
            if (problem.isPresent()) {
                throw invalid("resizer.destination.key-template", problem.get());
            }
        }
        if (config.manifest().enabled()) {
            String manifest = config.manifest().name();
            if (!RENDITION_NAME.matcher(manifest).matches()) {
                throw invalid("resizer.manifest.name", "a key segment: letters, digits, '.', '_' or '-'");
            }
            if (specs.stream().anyMatch(spec -> spec.name().equals(manifest))) {
                throw invalid("resizer.manifest.name", "'" + manifest + "' is also a rendition's name; their keys would collide");
            }
        }
        return List.copyOf(specs);
    }

    /**
     * Renditions of format {@code avif} need libheif with an AV1 encoder; without it the application refuses to start
     * rather than fail every original later.
     *
     * @param heif what probing for libheif found
     * @throws IllegalStateException naming the first AVIF rendition
     */
    public static void requireAvifEncoder(List<RenditionSpec> specs, Heif.Probe heif) {
        Optional<RenditionSpec> avif = specs.stream().filter(spec -> spec.format() == ResizerConfig.OutputFormat.AVIF).findFirst();
        if (avif.isPresent() && !heif.encodesAvif()) {
            throw invalid("resizer.renditions." + avif.get().name() + ".format", "avif needs libheif with an AV1 encoder (" + Heif.INSTALL
                    + ", with libaom3); libheif: " + heif.description());
        }
    }

    /** How many records the direct consumer resizes at once: configured, or one per processor. */
    public static int workers(ResizerConfig config) {
        return config.consumer().workers().orElse(Runtime.getRuntime().availableProcessors());
    }

    /** The MinIO client's host has no default; without it every event would fail, so refuse to start instead. */
    public static void requireObjectStore(Config config) {
        if (config.getOptionalValue("quarkus.minio.host", String.class).filter(h -> !h.isBlank()).isEmpty()) {
            throw invalid("quarkus.minio.host", "set the object store's host (QUARKUS_MINIO_HOST), with quarkus.minio.port, "
                    + "quarkus.minio.secure (default true), quarkus.minio.access-key and quarkus.minio.secret-key");
        }
    }

    private static IllegalStateException invalid(String key, String problem) {
        return new IllegalStateException("Invalid configuration " + key + ": " + problem);
    }
}
