package dev.imageresizer.backfill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imageresizer.local.MinioNotifications;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.IntegrationTest;
import dev.imageresizer.support.KafkaSourceRequest;
import dev.imageresizer.support.LocalServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A backfill over the real source bucket: missing and stale renditions made, current ones left, resumable. */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class BackfillTest extends IntegrationTest {

    private static final List<String> PHOTOS = List.of("fixtures/photos/leuven.jpg", "fixtures/photos/baboon.jpg", "fixtures/photos/hubble-deep-field.jpg",
            "fixtures/photos/building.jpg", "fixtures/photos/coffee.png", "fixtures/photos/chelsea-cat.png");

    @Inject
    Backfill backfill;

    @TempDir
    Path dir;

    @Test
    void makesWhatIsMissingOrStaleAndLeavesWhatIsCurrent() throws Exception {
        List<ObjectState> originals = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            String photo = PHOTOS.get(i % PHOTOS.size());
            originals.add(upload(prefix + "p" + i + photo.substring(photo.lastIndexOf('.')), Images.read(photo), i % PHOTOS.size() >= 4 ? "image/png" : "image/jpeg"));
        }
        upload(prefix + "notes.jpg", "not an image".getBytes(StandardCharsets.UTF_8), "image/jpeg");
        // two already processed (current), then one of them replaced by another image (stale)
        notify(originals.get(0));
        notify(originals.get(1));
        ObjectState replaced = upload(originals.get(1).key(), Images.read("fixtures/photos/hubble-deep-field.jpg"), "image/jpeg");

        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Backfill.Summary summary = backfill.run(new Backfill.Request(prefix, 3, Optional.empty(), Duration.ofMillis(200)),
                new PrintStream(output, true, StandardCharsets.UTF_8));

        assertEquals(10, summary.total());
        assertEquals(8, summary.written(), "7 never processed + 1 stale");
        assertEquals(1, summary.unchanged());
        assertEquals(1, summary.rejected(), "the text");
        assertEquals(0, summary.failed());
        for (ObjectState original : originals) {
            assertTrue(store.exists(PROCESSED, "thumb/" + original.key()), original.key());
        }
        assertEquals(replaced.eTag(), store.stat(PROCESSED, "small/" + replaced.key()).orElseThrow().userMetadata().get("source-etag"),
                "the stale renditions were remade from the new content");
        String text = output.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("backfill: walking images under " + prefix + ", 3 at a time, pages of 1000"), text);
        assertTrue(text.contains("backfill: done, 10 objects (1 page(s))") && text.contains("8 written, 1 already current, 0 ignored, 1 rejected, 0 failed"), text);

        Backfill.Summary again = backfill.run(new Backfill.Request(prefix, 3, Optional.empty(), Duration.ofMillis(200)), new PrintStream(new ByteArrayOutputStream()));
        assertEquals(9, again.unchanged(), "a rerun makes nothing again");
        assertEquals(0, again.written());
    }

    @Test
    void aCheckpointResumesAfterTheLastObjectDoneAndMovesWithEachPage() throws Exception {
        for (int i = 0; i < 6; i++) {
            upload(prefix + "c" + i + ".jpg", Images.fixture("photos/leuven.jpg"), "image/jpeg");
        }
        Path checkpoint = dir.resolve("backfill.checkpoint");
        // as if an earlier run had been stopped after c0 and c1 were done
        Files.writeString(checkpoint, IMAGES + "/" + prefix + "c1.jpg");

        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Backfill.Summary summary = backfill.run(new Backfill.Request(prefix, 2, Optional.of(checkpoint), 3, Duration.ofMillis(200)),
                new PrintStream(output, true, StandardCharsets.UTF_8));

        assertEquals(4, summary.total(), "only c2 to c5 are listed");
        assertEquals(4, summary.written());
        assertEquals(2, summary.pages(), "c2-c4, then c5");
        assertFalse(store.exists(PROCESSED, "thumb/" + prefix + "c1.jpg"), "c1 was not visited");
        assertEquals(IMAGES + "/" + prefix + "c5.jpg", Files.readString(checkpoint), "the checkpoint moved to the last object");
        String text = output.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("resuming after " + IMAGES + "/" + prefix + "c1.jpg"), text);
        assertTrue(text.contains("backfill: 3 done, checkpoint " + IMAGES + "/" + prefix + "c4.jpg\n")
                && text.contains("backfill: 4 done, checkpoint " + IMAGES + "/" + prefix + "c5.jpg\n"), "one checkpoint per page: " + text);
    }

    @Test
    void aWalkOfManyPagesVisitsEveryObjectOnce() throws Exception {
        for (int i = 0; i < 7; i++) {
            upload(prefix + "n" + i + ".txt", ("note " + i).getBytes(StandardCharsets.UTF_8), "text/plain");
        }

        Backfill.Summary summary = backfill.run(new Backfill.Request(prefix, 3, Optional.empty(), 2, Duration.ofMillis(200)),
                new PrintStream(new ByteArrayOutputStream()));

        assertEquals(7, summary.total());
        assertEquals(7, summary.rejected(), "not images, each refused once");
        assertEquals(4, summary.pages());
    }

    @Test
    void theCommandLineIsCheckedBeforeAnythingRuns() {
        Backfill.Request request = BackfillCommand.parse("backfill", "--prefix", "2026/", "--concurrency", "4", "--checkpoint", "x.checkpoint",
                "--page-size", "250");
        assertEquals("2026/", request.prefix());
        assertEquals(4, request.concurrency());
        assertEquals(Optional.of(Path.of("x.checkpoint")), request.checkpoint());
        assertEquals(250, request.pageSize());
        assertEquals(1000, BackfillCommand.parse("backfill").pageSize(), "S3's largest page by default");
        assertThrows(IllegalArgumentException.class, () -> BackfillCommand.parse("backfill", "--page-size", "1001"));
        assertThrows(IllegalArgumentException.class, () -> BackfillCommand.parse("backfill", "--concurrency", "0"));
        assertThrows(IllegalArgumentException.class, () -> BackfillCommand.parse("backfill", "--concurrency", "many"));
        assertThrows(IllegalArgumentException.class, () -> BackfillCommand.parse("backfill", "--bogus", "1"));
        assertThrows(IllegalArgumentException.class, () -> BackfillCommand.parse("backfill", "--prefix"));
    }

    private void notify(ObjectState object) {
        KafkaSourceRequest.send(MinioNotifications.recordKey(IMAGES, object.key()), MinioNotifications.event("s3:ObjectCreated:Put", object, Instant.now()),
                System.nanoTime() % 1_000_000 + 200_000).then().statusCode(200);
    }
}
