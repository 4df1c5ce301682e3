package dev.imageresizer.function;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.imageresizer.imaging.Heif;
import dev.imageresizer.local.MinioNotifications;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.messaging.RenditionAnnouncer;
import dev.imageresizer.support.HostileImages;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.IntegrationTest;
import dev.imageresizer.support.KafkaSourceRequest;
import dev.imageresizer.support.LocalServersResource;
import dev.imageresizer.support.LogCapture;
import dev.imageresizer.support.Topic;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Broken and hostile inputs over the Knative path (real Kafka and S3): each is processed correctly or refused with a
 * reason: 422 with {@code kne-reason}, one WARN line with the event id and key, and a failure record on
 * {@code image-renditions-failed}; nothing is stored for it, and the next good image goes through.
 */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class HostileInputTest extends IntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PNGSUITE = Images.FIXTURES.resolve("pngsuite/png");
    private static long offset = 90_000;
    private static Topic failures;

    @BeforeAll
    static void openFailureTopic() {
        failures = new Topic(LocalServersResource.bootstrapServers(), LocalServersResource.FAILED_TOPIC);
    }

    @AfterAll
    static void closeFailureTopic() {
        failures.close();
    }

    static Stream<Arguments> refused() throws IOException {
        byte[] dune = Images.fixture("photos/dune.jpg");
        Stream<Arguments> made = Stream.of(
                Arguments.of("zero bytes", "empty.jpg", (Supplier<byte[]>) () -> new byte[0], "notanimage"),
                Arguments.of("truncated JPEG", "truncated.jpg", (Supplier<byte[]>) () -> Arrays.copyOf(dune, dune.length / 3), "corrupt"),
                Arguments.of("HTML named .jpg", "page.jpg",
                        (Supplier<byte[]>) () -> "<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>".getBytes(StandardCharsets.UTF_8),
                        "notanimage"),
                Arguments.of("pixel flood: PNG header claims 64000x64000", "flood.png",
                        (Supplier<byte[]>) () -> Images.pngHeaderOnly(64_000, 64_000), "toolarge"),
                Arguments.of("pixel flood: JPEG header claims 64000x64000", "flood.jpg",
                        (Supplier<byte[]>) () -> HostileImages.jpegClaiming(64_000, 64_000), "toolarge"),
                Arguments.of("900 MP PNG decompression bomb", "bomb.png", (Supplier<byte[]>) () -> HostileImages.pngBomb(30_000), "toolarge"),
                Arguments.of("animated GIF of 3000 frames", "frames.gif", (Supplier<byte[]>) () -> HostileImages.animatedGif(3000, 8, 8), "toolarge"),
                // without libheif a HEIC is unsupported, whatever it holds; with it these are damaged
                Arguments.of("HEIC of only its ftyp box", "phone.heic",
                        (Supplier<byte[]>) () -> java.util.HexFormat.of().parseHex("000000186674797068656963000000006d696631"), heicVerdict("corrupt")),
                Arguments.of("HEIC cut in half", "half.heic", (Supplier<byte[]>) () -> {
                    byte[] heic = Images.fixture("heif/coffee-600x400.heic");
                    return Arrays.copyOf(heic, heic.length / 2);
                }, heicVerdict("corrupt")),
                Arguments.of("TIFF tiles of 65535x65535 for a 16x16 image", "tiles.tif",
                        (Supplier<byte[]>) () -> HostileImages.tiffTiles(16, 16, 65535, 65535), "toolarge"),
                Arguments.of("TIFF with a strip table of 1,000,000,000 entries", "strips.tif",
                        (Supplier<byte[]>) () -> HostileImages.tiffStrips(16, 16, 1_000_000_000), "corrupt"),
                Arguments.of("TIFF compressed with LZMA", "lzma.tif",
                        (Supplier<byte[]>) () -> HostileImages.tiffCompressed(16, 16, 34925), "unsupported"),
                Arguments.of("BMP header claims 30000x30000 in a 100-byte file", "liar.bmp",
                        (Supplier<byte[]>) () -> HostileImages.bmpClaiming(30_000, 30_000), "toolarge"),
                Arguments.of("BMP header claims 9000x9000 in a 100-byte file", "short.bmp",
                        (Supplier<byte[]>) () -> HostileImages.bmpClaiming(9_000, 9_000), "corrupt"));
        Stream<Arguments> pngSuite = Files.list(PNGSUITE).map(p -> p.getFileName().toString())
                .filter(n -> n.startsWith("x") && n.endsWith(".png")).sorted()
                .map(n -> Arguments.of("PngSuite " + n, n, (Supplier<byte[]>) () -> read(PNGSUITE.resolve(n)), null));
        return Stream.concat(made, pngSuite);
    }

    private static String heicVerdict(String withLibheif) {
        return Heif.probe().codec().isPresent() ? withLibheif : "unsupported";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void isRefusedWithAReasonAndTheNextImageGoesThrough(String what, String name, Supplier<byte[]> bytes, String reason) {
        ObjectState original = upload(prefix + name, bytes.get(), "image/jpeg");
        long id = offset++;

        try (LogCapture log = new LogCapture()) {
            Response response = send(original, id);

            response.then().statusCode(422);
            String code = response.header("kne-reason");
            if (reason != null) {
                assertEquals(reason, code, what + ": " + response.body().asString());
            }
            assertFalse(response.body().asString().isBlank(), "the reason is given as text");
            String eventId = "partition:0/offset:" + id;
            assertTrue(log.messages(Level.WARNING).stream().anyMatch(m -> m.contains(eventId) && m.contains(original.key()) && m.contains(code)),
                    "a WARN line with the event id, key and reason: " + log.messages(Level.WARNING));
            JsonNode record = failureRecord(original.key());
            assertEquals(eventId, record.path("eventId").asText());
            assertEquals(IMAGES, record.path("bucket").asText());
            assertEquals(original.eTag(), record.path("etag").asText());
            assertEquals(code, record.path("reason").asText());
            assertFalse(record.path("message").asText().isBlank());
        }
        for (Box box : DEFAULT_RENDITIONS) {
            assertFalse(store.exists(PROCESSED, box.name() + "/" + original.key()), box.name() + " stored for a refused original");
        }
        theNextGoodImageGoesThrough();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "cmyk-160x120.jpg", "ycck-160x120.jpg" })
    void cmykAndYcckJpegsAreResizedInTheirColours(String name) {
        ObjectState original = upload(prefix + name, HostileImages.resource(name), "image/jpeg");

        send(original, offset++).then().statusCode(200).body("stored[0].written", equalTo(3));

        var rendition = assertRendition("small/" + original.key(), original, "image/jpeg", 160, 120);
        var expected = Images.decode(HostileImages.resource("cmyk-expected-160x120.png"));
        double difference = Images.meanDifference(expected, rendition);
        // TwelveMonkeys converts with a CMYK profile, the expected image came from a naive RGB-to-CMYK formula
        assertTrue(difference < 16, name + " differs from the RGB photo by " + difference + " per sample on average");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "basn0g16.png", "basn2c16.png", "basn6a16.png", "basn3p08.png", "basn3p01.png", "tbbn3p08.png" })
    void sixteenBitAndPalettePngsAreResized(String name) {
        byte[] png = read(PNGSUITE.resolve(name));
        ObjectState original = upload(prefix + name, png, "image/png");

        send(original, offset++).then().statusCode(200).body("stored[0].written", equalTo(3));

        assertRendition("thumb/" + original.key(), original, "image/png", 32, 32);
    }

    @Test
    void aHugeTextChunkOrAnIccProfileBombInAPngCostsNothing() {
        byte[] png = Images.fixture("photos/coffee.png");
        ObjectState text = upload(prefix + "text.png", HostileImages.pngWithChunk(png, "tEXt", 20 << 20), "image/png");
        ObjectState icc = upload(prefix + "icc.png", HostileImages.pngWithChunk(png, "iCCP", 1 << 30), "image/png");

        send(text, offset++).then().statusCode(200).body("stored[0].written", equalTo(3));
        send(icc, offset++).then().statusCode(200).body("stored[0].written", equalTo(3));

        // s_coffee.png is 600x400: smaller than the small box, so kept at its size
        assertRendition("small/" + icc.key(), icc, "image/png", 600, 400);
        assertRendition("small/" + text.key(), text, "image/png", 600, 400);
    }

    @Test
    void anAnimatedGifWithinTheFrameLimitIsResizedFromItsFirstFrame() {
        ObjectState gif = upload(prefix + "anim.gif", HostileImages.animatedGif(50, 64, 48), "image/gif");

        send(gif, offset++).then().statusCode(200).body("stored[0].written", equalTo(3));

        // an opaque GIF becomes a JPEG
        assertRendition("small/" + gif.key() + ".jpg", gif, "image/jpeg", 64, 48);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "a/../../escape.jpg", "../up.jpg", "a/./b.jpg", "nul%00.jpg", "bell%07.jpg", "bad-utf8-%FF%FE.jpg", "lone-%C3.jpg" })
    void unsafeOrUndecodableKeysAreRefusedBeforeAnyWork(String encodedKey) {
        String notification = new String(MinioNotifications.event("s3:ObjectCreated:Put",
                new ObjectState(IMAGES, "placeholder.jpg", "0123456789abcdef0123456789abcdef", 1234, "image/jpeg"), Instant.now()),
                StandardCharsets.UTF_8).replace("placeholder.jpg", encodedKey);
        long id = offset++;

        Response response = KafkaSourceRequest.send(IMAGES + "/x", notification.getBytes(StandardCharsets.UTF_8), id);

        response.then().statusCode(422);
        String reason = response.header("kne-reason");
        assertTrue(reason.equals("badkey") || reason.equals("badevent"), encodedKey + ": " + reason);
        JsonNode record = failureRecordOfEvent("partition:0/offset:" + id);
        assertEquals(reason, record.path("reason").asText());
        assertNull(record.get("bucket").textValue(), "the notification itself was refused");
        theNextGoodImageGoesThrough();
    }

    @Test
    void aKeyWhoseRenditionKeysWouldPassS3sLimitIsRefused() {
        // 1024 bytes, S3's limit for the original; in folders of 200 bytes, as file-backed stores allow 255 per name
        StringBuilder name = new StringBuilder(prefix);
        while (name.length() < 1024 - 4 - 201) {
            name.append("k".repeat(200)).append('/');
        }
        String key = name.append("k".repeat(1024 - 4 - name.length())).append(".jpg").toString();
        ObjectState original = upload(key, Images.fixture("photos/dune.jpg"), "image/jpeg");

        send(original, offset++).then().statusCode(422).header("kne-reason", "badkey");

        assertEquals("badkey", failureRecord(original.key()).path("reason").asText());
    }

    private void theNextGoodImageGoesThrough() {
        ObjectState good = upload(prefix + "good-" + offset + ".jpg", Images.fixture("photos/leuven.jpg"), "image/jpeg");
        send(good, offset++).then().statusCode(200).body("stored[0].written", equalTo(3));
    }

    private Response send(ObjectState object, long id) {
        return KafkaSourceRequest.send(MinioNotifications.recordKey(object.bucket(), object.key()),
                MinioNotifications.event("s3:ObjectCreated:Put", object, Instant.now()), id);
    }

    private static JsonNode failureRecord(String key) {
        ConsumerRecord<String, byte[]> record = failures.await(r -> (IMAGES + "/" + key).equals(r.key()), Duration.ofSeconds(20));
        assertEquals(RenditionAnnouncer.FAILED_TYPE, Topic.header(record, "ce_type"));
        return json(record);
    }

    private static JsonNode failureRecordOfEvent(String eventId) {
        return json(failures.await(r -> ("event/" + eventId).equals(r.key()), Duration.ofSeconds(20)));
    }

    private static JsonNode json(ConsumerRecord<String, byte[]> record) {
        try {
            return JSON.readTree(record.value());
        } catch (IOException e) {
            throw new AssertionError("failure record is not JSON", e);
        }
    }

    private static byte[] read(Path path) {
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
