package dev.imageresizer.support;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import dev.imageresizer.config.ResizerConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The configuration of a unit test, without Quarkus: application.properties' three renditions (thumb 150x150 cover,
 * small 640x640, large 1280x1280), an object store host, ImageIO for JPEG (the same codec on every machine), and the
 * test's own properties over those.
 */
public final class TestConfig {

    private static final Map<String, String> DEFAULTS = Map.of(
            "resizer.renditions.thumb.width", "150", "resizer.renditions.thumb.height", "150", "resizer.renditions.thumb.fit", "cover",
            "resizer.renditions.small.width", "640", "resizer.renditions.small.height", "640",
            "resizer.renditions.large.width", "1280", "resizer.renditions.large.height", "1280",
            "resizer.jpeg.codec", "java",
            "quarkus.minio.host", "unused.invalid");

    private TestConfig() {
    }

    /** The whole configuration, {@code resizer.*} and the connections. */
    public static SmallRyeConfig of(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(DEFAULTS);
        all.putAll(properties);
        return new SmallRyeConfigBuilder()
                .withMapping(ResizerConfig.class)
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(all, "test", 100))
                .build();
    }

    /** {@code resizer.*} of {@link #of}. */
    public static ResizerConfig resizer(Map<String, String> properties) {
        return of(properties).getConfigMapping(ResizerConfig.class);
    }
}
