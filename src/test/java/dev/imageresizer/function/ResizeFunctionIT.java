package dev.imageresizer.function;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;

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
    @AfterAll
    static void theSecretKeyIsNeverLogged() throws IOException {
        String log = Files.readString(Path.of("target/quarkus.log"));
        assertTrue(log.contains("started in"), "the packaged application's log is target/quarkus.log");
        assertFalse(log.contains(LocalServersResource.SECRET_KEY), "the secret key appears in target/quarkus.log");
    }
}
