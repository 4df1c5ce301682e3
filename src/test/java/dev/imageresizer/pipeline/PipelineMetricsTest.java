package dev.imageresizer.pipeline;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.imageresizer.local.MinioNotifications;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.IntegrationTest;
import dev.imageresizer.support.KafkaSourceRequest;
import dev.imageresizer.support.LocalServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** {@code /q/metrics} after real events over HTTP: each outcome counted once, steps and renditions timed, bytes summed. */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class PipelineMetricsTest extends IntegrationTest {

    private static long offset = 90_000;

    @Test
    void everyOutcomeIsCountedAndEveryStepTimed() {
        byte[] jpeg = Images.fixture("photos/leuven.jpg");
        ObjectState photo = upload(prefix + "photo.jpg", jpeg, "image/jpeg");
        ObjectState text = upload(prefix + "notes.jpg", "<html>not an image</html>".getBytes(), "image/jpeg");
        String before = metrics();

        send("s3:ObjectCreated:Put", photo, 200);
        send("s3:ObjectCreated:Put", photo, 200); // a redelivery: nothing to do
        send("s3:ObjectCreated:Put", text, 422);
        send("s3:ObjectRemoved:Delete", photo, 200);

        String after = metrics();
        assertEquals(4, delta(before, after, "resizer_notifications_total"));
        assertEquals(1, delta(before, after, "resizer_records_total", "outcome=\"processed\""));
        assertEquals(1, delta(before, after, "resizer_records_total", "outcome=\"unchanged\""));
        assertEquals(1, delta(before, after, "resizer_records_total", "outcome=\"rejected\"", "reason=\"notanimage\""));
        assertEquals(1, delta(before, after, "resizer_records_total", "outcome=\"ignored\""));
        for (String step : List.of("lookup", "fetch", "inspect", "decode", "render", "store", "announce")) {
            assertTrue(delta(before, after, "resizer_step_seconds_count", "step=\"" + step + "\"") >= 1, step);
            assertTrue(after.contains("resizer_step_seconds_bucket{step=\"" + step + "\",le=\""), step + " is a histogram");
        }
        for (String rendition : List.of("large", "small", "thumb")) {
            assertEquals(1, delta(before, after, "resizer_rendition_seconds_count", "rendition=\"" + rendition + "\""), rendition);
            assertTrue(delta(before, after, "resizer_rendition_bytes_sum", "rendition=\"" + rendition + "\"") > 1000, rendition);
        }
        // fetched: the photo once (its redelivery finds the renditions stored), the text once
        assertEquals(jpeg.length + text.size(), delta(before, after, "resizer_original_bytes_sum"));
    }

    private static void send(String eventName, ObjectState object, int status) {
        KafkaSourceRequest.send(MinioNotifications.recordKey(IMAGES, object.key()), MinioNotifications.event(eventName, object, Instant.now()), offset++)
                .then().statusCode(status);
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** How much the sum of the samples named {@code name} with all of {@code labels} grew. */
    private static double delta(String before, String after, String name, String... labels) {
        return sum(after, name, labels) - sum(before, name, labels);
    }

    private static double sum(String exposition, String name, String... labels) {
        double sum = 0;
        for (String line : exposition.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                if (List.of(labels).stream().allMatch(line::contains)) {
                    // "name{labels} value" and, with traces on, " # {exemplar} value timestamp" after it
                    String rest = line.substring(line.startsWith(name + "{") ? line.indexOf('}') + 1 : name.length()).trim();
                    sum += Double.parseDouble(rest.split(" ")[0]);
                }
            }
        }
        return sum;
    }
}
