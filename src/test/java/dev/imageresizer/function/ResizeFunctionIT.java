package dev.imageresizer.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.imageresizer.support.Images;
import dev.imageresizer.support.LocalServersResource;
import dev.imageresizer.support.PackagedApp;
import dev.imageresizer.support.Store;
import dev.imageresizer.support.TestServers;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.DisabledOnIntegrationTest;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ResizeFunctionTest} against the packaged application in its own process (the jar, or the native executable). */
@QuarkusIntegrationTest
@WithTestResource(LocalServersResource.class)
class ResizeFunctionIT extends ResizeFunctionTest {

    /**
     * After every scenario (startup, warm-up, renditions, rejections), the application's whole log holds no
     * trace of the object store's secret key.
     */
    /** The documented backfill command, run as a user would: the packaged application with the argument {@code backfill}. */
    @Test
    void theBackfillCommandResizesWhatIsAlreadyInTheBucket() throws Exception {
        TestServers servers = LocalServersResource.servers();
        Store store = new Store(servers.minio());
        store.upload("images", "backfill-it/a.jpg", Images.fixture("photos/leuven.jpg"), "image/jpeg");
        store.upload("images", "backfill-it/b.png", Images.fixture("photos/coffee.png"), "image/png");

        PackagedApp backfill = PackagedApp.builder(Path.of("target/backfill-it.log")).config(servers.appConfig())
                .args("backfill", "--prefix", "backfill-it/", "--concurrency", "2").launch();
        boolean exited = backfill.waitFor(Duration.ofMinutes(2));
        String output = backfill.logText();
        assertTrue(exited, output);

        assertEquals(0, backfill.exitValue(), output);
        assertTrue(output.contains("backfill: walking images under backfill-it/, 2 at a time"), output);
        assertTrue(output.contains("backfill: done, 2 objects") && output.contains("2 written"), output);
        for (String key : List.of("large/backfill-it/a.jpg", "small/backfill-it/b.png", "thumb/backfill-it/b.png", "manifest/backfill-it/a.jpg.json")) {
            assertTrue(store.exists("processed", key), key);
        }
    }

    /**
     * The container image's build step (src/main/docker/train-archive.sh) starts the application with no credentials and
     * nothing to reach, until its warm-up is done: a bean made eagerly at startup once broke it. The JVM image's step:
     * not run against the native executable.
     */
    @Test
    @DisabledOnIntegrationTest(forArtifactTypes = DisabledOnIntegrationTest.ArtifactType.NATIVE_BINARY)
    void theImagesClassArchiveTrainingRunWorks() throws Exception {
        Path app = Path.of("target/quarkus-app").toAbsolutePath();
        Process training = new ProcessBuilder("bash", Path.of("src/main/docker/train-archive.sh").toAbsolutePath().toString(), app.toString(),
                "it-training.jsa").redirectErrorStream(true).start();
        String output = new String(training.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(training.waitFor(3, TimeUnit.MINUTES), output);
        try {
            assertEquals(0, training.exitValue(), output);
            assertTrue(Files.size(app.resolve("it-training.jsa")) > 1_000_000, output);
        } finally {
            Files.deleteIfExists(app.resolve("it-training.jsa"));
            Files.deleteIfExists(app.resolve("it-training.jsa.options"));
        }
    }

    /**
     * In production the log is JSON, one object per line; each event's summary line carries its id and object as
     * fields.
     */
    @AfterAll
    static void theLogIsJsonWithTheEventAndObjectAsFields() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> summaries = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("target/quarkus.log"))) {
            if (line.startsWith("{")) {
                JsonNode entry = json.readTree(line);
                if (entry.path("message").asText().contains("renditions written")) {
                    summaries.add(entry);
                }
            }
        }
        assertFalse(summaries.isEmpty(), "no JSON summary line in target/quarkus.log");
        for (JsonNode summary : summaries) {
            assertEquals("INFO", summary.path("level").asText(), summary.toString());
            String eventId = summary.path("mdc").path("eventId").asText();
            String object = summary.path("mdc").path("object").asText();
            assertTrue(eventId.startsWith("partition:") && object.startsWith("images/"), summary.toString());
            assertTrue(summary.path("message").asText().startsWith(eventId + " " + object + ": "), summary.toString());
        }
    }

    @AfterAll
    static void theSecretKeyIsNeverLogged() throws IOException {
        String log = Files.readString(Path.of("target/quarkus.log"));
        assertTrue(log.contains("started in"), "the packaged application's log is target/quarkus.log");
        assertFalse(log.contains(LocalServersResource.SECRET_KEY), "the secret key appears in target/quarkus.log");
    }
}
