package dev.imageresizer.pipeline;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.imageresizer.local.MinioNotifications;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.IntegrationTest;
import dev.imageresizer.support.KafkaSourceRequest;
import dev.imageresizer.support.LocalServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The public conformance suites through the whole pipeline (upload, KafkaSource CloudEvent, renditions in S3): every
 * valid PngSuite image gets its renditions, every corrupt one is rejected with a reason, and all 18 EXIF orientation
 * photos come out upright.
 */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class ConformanceTest extends IntegrationTest {

    private static final Path PNGSUITE = Images.FIXTURES.resolve("pngsuite/png");
    private static final AtomicLong OFFSET = new AtomicLong(5000);

    static Stream<String> validPngSuite() throws IOException {
        return pngSuite().filter(name -> !name.startsWith("x"));
    }

    static Stream<String> corruptPngSuite() throws IOException {
        return pngSuite().filter(name -> name.startsWith("x"));
    }

    private static Stream<String> pngSuite() throws IOException {
        return Files.list(PNGSUITE).map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted();
    }

    private Response resize(ObjectState object) {
        return KafkaSourceRequest.send(MinioNotifications.recordKey(object.bucket(), object.key()),
                MinioNotifications.event("s3:ObjectCreated:Put", object, Instant.now()), OFFSET.incrementAndGet());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validPngSuite")
    void everyValidPngSuiteImageGetsItsRenditions(String name) throws IOException {
        byte[] png = Files.readAllBytes(PNGSUITE.resolve(name));
        int width = ByteBuffer.wrap(png, 16, 4).getInt();
        int height = ByteBuffer.wrap(png, 20, 4).getInt();
        ObjectState original = upload(prefix + name, png, "image/png");

        resize(original).then().statusCode(200).body("stored[0].written", equalTo(3));

        // PngSuite images are at most 40 pixels wide: every rendition keeps the original size, as PNG
        for (Box box : DEFAULT_RENDITIONS) {
            BufferedImage rendition = assertRendition(box.name() + "/" + original.key(), original, "image/png", width, height);
            BufferedImage reference = Images.decode(png);
            double difference = Images.meanDifference(reference, rendition);
            assertTrue(difference < 1.0, box.name() + " differs from the original by " + difference);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptPngSuite")
    void everyCorruptPngSuiteImageIsRejectedWithAReason(String name) throws IOException {
        ObjectState original = upload(prefix + name, Files.readAllBytes(PNGSUITE.resolve(name)), "image/png");

        resize(original).then()
                .statusCode(422)
                .header("kne-reason", "corrupt")
                .body(startsWith("corrupt PNG: "));
    }

    /** Upright means: at 1/10 of the size, the picture matches the one stored upright (under 2 vs over 35 when wrong). */
    @ParameterizedTest(name = "{0}_{1}.jpg")
    @CsvSource({
            "Landscape, 0", "Landscape, 1", "Landscape, 2", "Landscape, 3", "Landscape, 4", "Landscape, 5", "Landscape, 6", "Landscape, 7", "Landscape, 8",
            "Portrait, 0", "Portrait, 1", "Portrait, 2", "Portrait, 3", "Portrait, 4", "Portrait, 5", "Portrait, 6", "Portrait, 7", "Portrait, 8",
    })
    void everyExifOrientationComesOutUpright(String shape, int number) {
        String file = "fixtures/exif-orientation/" + shape + "_" + number + ".jpg";
        ObjectState original = upload(prefix + shape + "_" + number + ".jpg", Images.read(file), "image/jpeg");
        boolean landscape = shape.equals("Landscape");

        resize(original).then().statusCode(200);

        BufferedImage small = assertRendition("small/" + original.key(), original, "image/jpeg", landscape ? 640 : 427, landscape ? 427 : 640);
        assertRendition("thumb/" + original.key(), original, "image/jpeg", 150, 150);
        BufferedImage upright = Images.decode(Images.fixture("exif-orientation/" + shape + "_0.jpg"));
        BufferedImage reference = scaleTo(upright, small.getWidth(), small.getHeight());
        double difference = Images.meanDifference(Images.shrink(reference, 10), Images.shrink(small, 10));
        assertTrue(difference < 2, shape + "_" + number + " mean difference " + difference);
    }

    private static BufferedImage scaleTo(BufferedImage image, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        g.drawImage(image.getScaledInstance(width, height, java.awt.Image.SCALE_AREA_AVERAGING), 0, 0, null);
        g.dispose();
        return out;
    }
}
