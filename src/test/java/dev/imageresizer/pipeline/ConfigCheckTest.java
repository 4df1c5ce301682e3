package dev.imageresizer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.config.ResizerConfig.Crop;
import dev.imageresizer.config.ResizerConfig.Fit;
import dev.imageresizer.config.ResizerConfig.Lossless;
import dev.imageresizer.config.ResizerConfig.OutputFormat;
import dev.imageresizer.imaging.Heif;
import dev.imageresizer.imaging.RenditionSpec;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

class ConfigCheckTest {

    private static final Map<String, String> DEFAULTS = Map.of(
            "resizer.renditions.thumb.width", "150", "resizer.renditions.thumb.height", "150", "resizer.renditions.thumb.fit", "cover",
            "resizer.renditions.small.width", "640", "resizer.renditions.small.height", "640",
            "resizer.renditions.large.width", "1280", "resizer.renditions.large.height", "1280");

    @Test
    void theDefaultsAreThreeRenditions() {
        List<RenditionSpec> specs = ConfigCheck.validate(config(Map.of()));

        assertEquals(List.of(
                new RenditionSpec("large", 1280, 1280, Fit.BOUND, OutputFormat.SAME, 85),
                new RenditionSpec("small", 640, 640, Fit.BOUND, OutputFormat.SAME, 85),
                new RenditionSpec("thumb", 150, 150, Fit.COVER, OutputFormat.SAME, 85)), specs);
    }

    @Test
    void renditionsAreConfigurableByName() {
        List<RenditionSpec> specs = ConfigCheck.validate(config(Map.of(
                "resizer.renditions.small.enabled", "false",
                "resizer.renditions.large.enabled", "false",
                "resizer.renditions.avatar.width", "96", "resizer.renditions.avatar.height", "96",
                "resizer.renditions.avatar.fit", "cover", "resizer.renditions.avatar.format", "png",
                "resizer.renditions.thumb.quality", "70")));

        assertEquals(List.of(
                new RenditionSpec("avatar", 96, 96, Fit.COVER, OutputFormat.PNG, 85),
                new RenditionSpec("thumb", 150, 150, Fit.COVER, OutputFormat.SAME, 70)), specs);
    }

    @Test
    void anAvifRenditionWithoutLibheifRefusesStartupNamingIt() {
        List<RenditionSpec> specs = ConfigCheck.validate(config(Map.of(
                "resizer.renditions.web.width", "640", "resizer.renditions.web.height", "640", "resizer.renditions.web.format", "avif")));

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ConfigCheck.requireAvifEncoder(specs, Heif.Probe.absent("libheif.so.1 did not load")));

        assertTrue(e.getMessage().contains("resizer.renditions.web.format") && e.getMessage().contains("apt-get install libheif1"), e.getMessage());
        ConfigCheck.requireAvifEncoder(ConfigCheck.validate(config(Map.of())), Heif.Probe.absent("not installed")); // no avif: no need
    }

    @Test
    void theAvifSpeedIsLibaomsRange() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ConfigCheck.validate(config(Map.of("resizer.heif.avif-speed", "10"))));

        assertTrue(e.getMessage().contains("resizer.heif.avif-speed"), e.getMessage());
    }

    @Test
    void aCoverRenditionTakesACropStrategyCentreByDefault() {
        List<RenditionSpec> specs = ConfigCheck.validate(config(Map.of("resizer.renditions.thumb.crop", "attention",
                "resizer.renditions.avatar.width", "96", "resizer.renditions.avatar.height", "96", "resizer.renditions.avatar.fit", "cover",
                "resizer.renditions.square.width", "300", "resizer.renditions.square.height", "300", "resizer.renditions.square.fit", "cover",
                "resizer.renditions.square.crop", "entropy")));

        assertEquals(Crop.CENTRE, spec(specs, "avatar").crop());
        assertEquals(Crop.ATTENTION, spec(specs, "thumb").crop());
        assertEquals(Crop.ENTROPY, spec(specs, "square").crop());
        assertEquals(Crop.CENTRE, spec(specs, "small").crop());
    }

    @Test
    void refusesACropOnABoundRenditionNamingTheKey() {
        for (String crop : List.of("attention", "centre")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ConfigCheck.validate(config(Map.of("resizer.renditions.small.crop", crop))));

            assertTrue(e.getMessage().startsWith("Invalid configuration resizer.renditions.small.crop: only a cover rendition is cropped"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("resizer.renditions.small.fit=cover"), e.getMessage());
        }
    }

    private static RenditionSpec spec(List<RenditionSpec> specs, String name) {
        return specs.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void refusesTheDestinationAsSource() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ConfigCheck.validate(config(Map.of("resizer.destination.bucket", "images"))));

        assertTrue(e.getMessage().startsWith("Invalid configuration resizer.destination.prefix:"), e.getMessage());
    }

    @Test
    void acceptsOneBucketWithADestinationPrefix() {
        ConfigCheck.validate(config(Map.of("resizer.destination.bucket", "images", "resizer.destination.prefix", "renditions/")));
    }

    @Test
    void refusesIncludePrefixesInsideTheDestination() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ConfigCheck.validate(config(Map.of(
                "resizer.destination.bucket", "images", "resizer.destination.prefix", "renditions/",
                "resizer.source.include-prefixes", "renditions/originals/"))));

        assertTrue(e.getMessage().startsWith("Invalid configuration resizer.source.include-prefixes:"), e.getMessage());
    }

    @Test
    void refusesAManifestNamedLikeARendition() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ConfigCheck.validate(config(Map.of("resizer.manifest.name", "thumb"))));

        assertTrue(e.getMessage().startsWith("Invalid configuration resizer.manifest.name:"), e.getMessage());
        ConfigCheck.validate(config(Map.of("resizer.manifest.name", "thumb", "resizer.manifest.enabled", "false")));
    }

    @Test
    void refusesAKeyTemplateUnderWhichRenditionsWouldMeet() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ConfigCheck.validate(config(Map.of("resizer.destination.key-template", "{dir}{name}.{ext}"))));

        assertTrue(e.getMessage().startsWith("Invalid configuration resizer.destination.key-template:"), e.getMessage());
        ConfigCheck.validate(config(Map.of("resizer.destination.key-template", "{dir}{name}_{width}x{height}.{ext}")));
    }

    @Test
    void namesTheKeyOfABadRendition() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ConfigCheck.validate(config(Map.of("resizer.renditions.thumb.quality", "0"))));

        assertEquals("Invalid configuration resizer.renditions.thumb: rendition thumb: quality must be 1 to 100", e.getMessage());
    }

    @Test
    void refusesARenditionNameThatIsNotAKeySegment() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ConfigCheck.validate(config(Map.of(
                "resizer.renditions.\"a/b\".width", "10", "resizer.renditions.\"a/b\".height", "10"))));

        assertTrue(e.getMessage().startsWith("Invalid configuration resizer.renditions.a/b:"), e.getMessage());
    }

    @Test
    void aWebpRenditionBesideAJpegOneIsOneLine() {
        List<RenditionSpec> twins = ConfigCheck.validate(config(Map.of("resizer.renditions.small.also-webp", "true",
                "resizer.renditions.thumb.also-webp", "true", "resizer.renditions.thumb.crop", "attention")), () -> Optional.empty());

        assertTrue(twins.contains(new RenditionSpec("small-webp", 640, 640, Fit.BOUND, OutputFormat.WEBP, 85, Lossless.FALSE)), twins.toString());
        assertTrue(twins.contains(new RenditionSpec("thumb-webp", 150, 150, Fit.COVER, OutputFormat.WEBP, 85, Lossless.FALSE, Crop.ATTENTION)),
                twins.toString());
        assertEquals(5, twins.size(), twins.toString());
    }

    @Test
    void refusesAWebpTwinThatIsWebpAlreadyOrClashesWithARendition() {
        IllegalStateException webpAlready = assertThrows(IllegalStateException.class, () -> ConfigCheck.validate(config(Map.of(
                "resizer.renditions.small.format", "webp", "resizer.renditions.small.also-webp", "true")), () -> Optional.empty()));
        IllegalStateException clash = assertThrows(IllegalStateException.class, () -> ConfigCheck.validate(config(Map.of(
                "resizer.renditions.small.also-webp", "true", "resizer.renditions.small-webp.width", "320",
                "resizer.renditions.small-webp.height", "320")), () -> Optional.empty()));

        assertTrue(webpAlready.getMessage().startsWith("Invalid configuration resizer.renditions.small.also-webp: this rendition is webp already"),
                webpAlready.getMessage());
        assertTrue(clash.getMessage().contains("resizer.renditions.small.also-webp") && clash.getMessage().contains("small-webp"), clash.getMessage());
    }

    @Test
    void aWebpRenditionOfItsOwnIsThreeLines() {
        List<RenditionSpec> specs = ConfigCheck.validate(config(Map.of(
                "resizer.renditions.small-webp.width", "640", "resizer.renditions.small-webp.height", "640",
                "resizer.renditions.small-webp.format", "webp",
                "resizer.renditions.logo.width", "200", "resizer.renditions.logo.height", "200",
                "resizer.renditions.logo.format", "webp", "resizer.renditions.logo.lossless", "alpha")), () -> Optional.empty());
        List<RenditionSpec> lossless = ConfigCheck.validate(config(Map.of(
                "resizer.renditions.thumb.format", "webp", "resizer.renditions.thumb.lossless", "true")), () -> Optional.empty());

        assertTrue(specs.contains(new RenditionSpec("small", 640, 640, Fit.BOUND, OutputFormat.SAME, 85, Lossless.FALSE)), specs.toString());
        assertTrue(specs.contains(new RenditionSpec("small-webp", 640, 640, Fit.BOUND, OutputFormat.WEBP, 85, Lossless.FALSE)), specs.toString());
        assertTrue(specs.contains(new RenditionSpec("logo", 200, 200, Fit.BOUND, OutputFormat.WEBP, 85, Lossless.ALPHA)), specs.toString());
        assertTrue(lossless.contains(new RenditionSpec("thumb", 150, 150, Fit.COVER, OutputFormat.WEBP, 85, Lossless.TRUE)), lossless.toString());
    }

    @Test
    void refusesLosslessForAFormatOtherThanWebp() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ConfigCheck.validate(config(Map.of("resizer.renditions.thumb.lossless", "true"))));

        assertEquals("Invalid configuration resizer.renditions.thumb: rendition thumb: lossless applies to format webp only, not same", e.getMessage());
    }

    @Test
    void refusesToStartWhenLibwebpDoesNotLoadNamingTheRendition() {
        List<Boolean> probed = new java.util.ArrayList<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ConfigCheck.validate(config(Map.of(
                "resizer.renditions.small-webp.width", "640", "resizer.renditions.small-webp.height", "640",
                "resizer.renditions.small-webp.format", "webp")), () -> {
                    probed.add(true);
                    return Optional.of("java.lang.UnsatisfiedLinkError: no libwebp-imageio for Linux riscv64");
                }));

        assertEquals(List.of(true), probed);
        assertTrue(e.getMessage().startsWith("Invalid configuration resizer.renditions.small-webp.format: webp cannot be written here "
                + "(java.lang.UnsatisfiedLinkError: no libwebp-imageio for Linux riscv64); choose jpeg or png for small-webp"), e.getMessage());
    }

    @Test
    void probesLibwebpOnlyForAWebpRendition() {
        ConfigCheck.validate(config(Map.of()), () -> {
            throw new AssertionError("probed without a webp rendition");
        });
        ConfigCheck.validate(config(Map.of("resizer.renditions.thumb.format", "webp", "resizer.renditions.thumb.enabled", "false")), () -> {
            throw new AssertionError("probed for a rendition switched off");
        });
    }

    @Test
    void theRealProbeFindsLibwebpOnThisMachine() {
        assertEquals(Optional.empty(), dev.imageresizer.imaging.WebP.unavailable(), "libwebp bundled for Linux x86_64 and aarch64");
        ConfigCheck.validate(config(Map.of("resizer.renditions.thumb.format", "webp")));
    }

    @Test
    void refusesNoRenditions() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ConfigCheck.validate(config(Map.of(
                "resizer.renditions.thumb.enabled", "false", "resizer.renditions.small.enabled", "false",
                "resizer.renditions.large.enabled", "false"))));

        assertTrue(e.getMessage().startsWith("Invalid configuration resizer.renditions:"), e.getMessage());
    }

    @Test
    void workersDefaultToOnePerProcessorAndAreBounded() {
        assertEquals(Runtime.getRuntime().availableProcessors(), ConfigCheck.workers(config(Map.of())));
        assertEquals(5, ConfigCheck.workers(config(Map.of("resizer.consumer.workers", "5"))));

        for (String workers : new String[] { "0", "65" }) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ConfigCheck.validate(config(Map.of("resizer.consumer.workers", workers))));
            assertTrue(e.getMessage().startsWith("Invalid configuration resizer.consumer.workers: must be 1 to 64"), e.getMessage());
        }
    }

    @Test
    void jpegCodecAndInMemorySizeHaveDefaults() {
        ResizerConfig config = config(Map.of());

        assertEquals(ResizerConfig.JpegCodec.AUTO, config.jpeg().codec());
        assertEquals(java.nio.file.Path.of("/usr/share/java/turbojpeg.jar"), config.jpeg().turbojpegJar());
        assertEquals(16L << 20, config.limits().inMemorySize().asLongValue());
        assertEquals(ResizerConfig.JpegCodec.JAVA, config(Map.of("resizer.jpeg.codec", "java")).jpeg().codec());
    }

    @Test
    void frameAndTimeLimitsHaveDefaultsAndMustBePositive() {
        ResizerConfig config = config(Map.of());
        assertEquals(1000, config.limits().maxFrames());
        assertEquals(java.time.Duration.ofSeconds(30), config.limits().decodeTimeout());
        assertTrue(config.http().allowedSources().isEmpty());
        assertTrue(config.objectStore().trustStore().isEmpty());

        for (Map.Entry<String, String> bad : Map.of("resizer.limits.max-frames", "0", "resizer.limits.decode-timeout", "0s").entrySet()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> ConfigCheck.validate(config(Map.of(bad.getKey(), bad.getValue()))));
            assertTrue(e.getMessage().startsWith("Invalid configuration " + bad.getKey() + ": must be positive"), e.getMessage());
        }
    }

    @Test
    void requiresTheObjectStoreHost() {
        SmallRyeConfig empty = new SmallRyeConfigBuilder().build();

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ConfigCheck.requireObjectStore(empty));

        assertTrue(e.getMessage().startsWith("Invalid configuration quarkus.minio.host:"), e.getMessage());
    }

    private static ResizerConfig config(Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>(DEFAULTS);
        properties.putAll(overrides);
        return new SmallRyeConfigBuilder()
                .withMapping(ResizerConfig.class)
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build()
                .getConfigMapping(ResizerConfig.class);
    }
}
