package dev.imageresizer.function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.imageresizer.support.LocalServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ResizeFunctionTest} against the packaged application in its own process (the jar, or the native executable). */
@QuarkusIntegrationTest
@WithTestResource(LocalServersResource.class)
class ResizeFunctionIT extends ResizeFunctionTest {

    /**
     * After every scenario (startup, warm-up, renditions, rejections), the application's whole log holds no
     * trace of the object store's secret key.
     */
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
