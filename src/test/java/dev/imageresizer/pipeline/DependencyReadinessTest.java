package dev.imageresizer.pipeline;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.imageresizer.support.LocalServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** {@code /q/health/ready} follows the object store and Kafka going away and coming back, saying which one is missing. */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class DependencyReadinessTest {

    private static final Duration PATIENCE = Duration.ofSeconds(DependencyReadiness.RECHECK_SECONDS * 3L);

    @Test
    void readinessFollowsTheObjectStore() throws Exception {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> ready().statusCode() == 200
                && ready().asString().contains("reachable, bucket processed") && ready().asString().contains("reachable, topic image-renditions"));

        LocalServersResource.stopS3();
        try {
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> ready().statusCode() == 503);
            ready().then().body("checks.find { it.name == 'object store and Kafka' }.data.'object store'", containsString("unreachable"))
                    .body("checks.find { it.name == 'object store and Kafka' }.data.kafka", containsString("reachable, topic"));
        } finally {
            LocalServersResource.startS3();
        }

        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> ready().statusCode() == 200);
    }

    @Test
    void readinessFollowsKafka() throws Exception {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> ready().statusCode() == 200);

        LocalServersResource.stopKafka();
        try {
            await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> ready().statusCode() == 503
                    && ready().asString().contains("unreachable"));
            ready().then().body("checks.find { it.name == 'object store and Kafka' }.data.kafka", containsString("unreachable"))
                    .body("checks.find { it.name == 'object store and Kafka' }.data.'object store'", containsString("reachable, bucket"));
        } finally {
            LocalServersResource.startKafka();
        }

        await().atMost(PATIENCE.multipliedBy(2)).pollInterval(Duration.ofMillis(500)).until(() -> ready().statusCode() == 200);
    }

    private static Response ready() {
        return given().get("/q/health/ready");
    }
}
