package dev.imageresizer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.imageresizer.storage.ETag;
import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.failure.Failure;
import dev.imageresizer.imaging.ImageData;
import dev.imageresizer.imaging.ImageInfo;
import dev.imageresizer.imaging.Imaging;
import dev.imageresizer.imaging.TurboJpeg;
import dev.imageresizer.pipeline.StoredRenditions.Rendition;
import dev.imageresizer.storage.Original;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.InMemoryStorage;
import dev.imageresizer.support.TestConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;

/** Render and store: what the plan lacks, under its keys, each with its metadata; on a failure, the stores under way cancelled. */
class RenditionWriterTest {

    private static final byte[] PHOTO = Images.synthetic("jpeg", 800, 600, false);

    private final InMemoryStorage store = new InMemoryStorage();
    private final Imaging imaging = new Imaging(100_000_000L, TurboJpeg.probe(TurboJpeg.DEBIAN_JAR, false));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private List<Rendition> write(Plan plan, ImageInfo info, Original original) {
        ResizerConfig config = TestConfig.resizer(Map.of("resizer.destination.cache-control", "max-age=60"));
        BufferedImage decoded = imaging.decode(original.data(), info, plan.toDecode());
        return RenditionWriter.of(config, store, new PipelineMetrics(registry)).write(imaging, original, info, decoded, plan,
                new StepTimes(new PipelineMetrics(registry), OpenTelemetry.noop().getTracer("test")));
    }

    private Plan plan(ImageInfo info) {
        ResizerConfig config = TestConfig.resizer(Map.of());
        store.upload("processed", "small/a.jpg", new byte[3], "image/jpeg", Map.of("source-bucket", "images", "source-key", "a.jpg",
                "source-etag", "e1", "width", "640", "height", "480"), Map.of());
        return CurrentRenditions.of(config, ConfigCheck.validate(config), store).lookup("images", "a.jpg").afterInspect(new ETag("e1"), info);
    }

    @Test
    void writesWhatThePlanLacksUnderItsKeys() {
        Original original = new Original("images", "a.jpg", new ETag("e1"), ImageData.of(PHOTO), Map.of("owner", "alice"), Map.of());
        ImageInfo info = imaging.inspect(original.data());
        Plan plan = plan(info);
        store.forgetRequests();

        List<Rendition> written = write(plan, info, original);

        assertEquals(List.of("large", "thumb"), written.stream().map(Rendition::name).toList());
        assertEquals(List.of("PUT processed/large/a.jpg", "PUT processed/thumb/a.jpg"), store.requests());
        Rendition thumb = written.get(1);
        InMemoryStorage.StoredBytes stored = store.get("processed", "thumb/a.jpg").orElseThrow();
        assertEquals(new Rendition("thumb", "processed", "thumb/a.jpg", 150, 150, stored.content().length, "image/jpeg"), thumb);
        assertEquals("alice", stored.metadata().get("owner"));
        assertEquals("150", stored.metadata().get("width"));
        assertEquals(Map.of("Cache-Control", "max-age=60"), stored.headers());
        assertEquals(1, registry.find("resizer.rendition").tag("rendition", "thumb").timer().count());
        assertEquals(Optional.empty(), Optional.ofNullable(registry.find("resizer.rendition").tag("rendition", "small").timer()), "not made");
    }

    @Test
    void aFailedStoreCancelsTheOthersUnderWay() {
        Original original = new Original("images", "a.jpg", new ETag("e1"), ImageData.of(PHOTO));
        ImageInfo info = imaging.inspect(original.data());
        Plan plan = plan(info);
        store.failPuts(key -> key.startsWith("thumb/"));

        assertThrows(Failure.Transient.class, () -> write(plan, info, original));

        assertEquals(List.of("CANCEL processed/large/a.jpg"), store.requests("CANCEL"));
    }
}
