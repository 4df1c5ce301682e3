package dev.imageresizer.function;

import dev.imageresizer.support.LocalServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** {@link ResizeFunctionTest} against the packaged application in its own process (the jar, or the native executable). */
@QuarkusIntegrationTest
@WithTestResource(LocalServersResource.class)
class ResizeFunctionIT extends ResizeFunctionTest {
}
