package dev.imageresizer.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.Config;

import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.imaging.RenditionSpec;
import dev.imageresizer.storage.RenditionKeys;

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
                specs.add(new RenditionSpec(name, r.width(), r.height(), r.fit(), r.format(), r.quality(),
                        r.crop().orElse(ResizerConfig.Crop.CENTRE)));
            } catch (IllegalArgumentException e) {
                throw invalid("resizer.renditions." + name, e.getMessage());
            }
        }
        if (specs.isEmpty()) {
            throw invalid("resizer.renditions", "enable at least one rendition");
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
