package dev.imageresizer.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import dev.imageresizer.event.KeyEncoding;
import dev.imageresizer.imaging.Geometry;
import dev.imageresizer.imaging.Geometry.Frame;
import dev.imageresizer.local.MinioNotifications;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.config.ResizerConfig.Fit;
import io.minio.MinioClient;
import io.minio.StatObjectResponse;

/**
 * What every integration scenario shares: the real S3 server (as an uploading user), MinIO's notification step played
 * on the real Kafka broker, and checks of stored renditions. Each test works under a key prefix of its own.
 */
public abstract class IntegrationTest {

    public static final String IMAGES = LocalServersResource.SOURCE_BUCKET;
    public static final String PROCESSED = LocalServersResource.DESTINATION_BUCKET;

    /** The default renditions: name, box and fit. */
    public record Box(String name, int width, int height, Fit fit) {
    }

    public static final List<Box> DEFAULT_RENDITIONS = List.of(
            new Box("large", 1280, 1280, Fit.BOUND), new Box("small", 640, 640, Fit.BOUND), new Box("thumb", 150, 150, Fit.COVER));

    @Inject
    protected MinioClient minio;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    protected String bootstrapServers;

    protected Store store;
    protected MinioNotifications minioEvents;
    /** A key prefix unique to the running test. */
    protected String prefix;

    @BeforeEach
    void connect() {
        store = new Store(minio);
        minioEvents = new MinioNotifications(bootstrapServers, LocalServersResource.EVENTS_TOPIC);
        prefix = getClass().getSimpleName() + "/" + UUID.randomUUID().toString().substring(0, 8) + "/";
    }

    @AfterEach
    void disconnect() {
        minioEvents.close();
    }

    protected ObjectState upload(String key, byte[] bytes, String contentType) {
        return store.upload(IMAGES, key, bytes, contentType);
    }

    /** The bytes of a rendition after checking its content type, dimensions and source metadata. */
    protected BufferedImage assertRendition(String key, ObjectState source, String contentType, int width, int height) {
        StatObjectResponse stat = store.stat(PROCESSED, key).orElseThrow(() -> new AssertionError("no rendition " + PROCESSED + "/" + key));
        assertEquals(contentType, stat.contentType(), key);
        assertEquals(source.bucket(), stat.userMetadata().get("source-bucket"), key);
        assertEquals(KeyEncoding.encode(source.key()), stat.userMetadata().get("source-key"), key);
        assertEquals(source.eTag(), stat.userMetadata().get("source-etag"), key);
        BufferedImage image = Images.decode(store.get(PROCESSED, key));
        assertEquals(width, image.getWidth(), key + " width");
        assertEquals(height, image.getHeight(), key + " height");
        return image;
    }

    /** Checks the three default renditions of a JPEG original of the given displayed size. */
    protected void assertDefaultJpegRenditions(ObjectState source, int width, int height) {
        for (Box box : DEFAULT_RENDITIONS) {
            Frame frame = Geometry.frame(width, height, box.width(), box.height(), box.fit());
            assertRendition(box.name() + "/" + source.key(), source, "image/jpeg", frame.width(), frame.height());
        }
    }
}
