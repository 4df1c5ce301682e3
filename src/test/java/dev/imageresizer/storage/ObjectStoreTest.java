package dev.imageresizer.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.imageresizer.imaging.ImageData;
import dev.imageresizer.imaging.ImageInfo;
import dev.imageresizer.imaging.Imaging;
import dev.imageresizer.imaging.RenditionSpec;
import dev.imageresizer.imaging.TurboJpeg;
import dev.imageresizer.config.ResizerConfig.Fit;
import dev.imageresizer.config.ResizerConfig.OutputFormat;
import dev.imageresizer.failure.Failure;
import dev.imageresizer.failure.Failure.Reason;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.IntegrationTest;
import dev.imageresizer.support.LocalServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Downloads from the real S3 server: small originals in memory, large ones streamed to a temporary file. */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class ObjectStoreTest extends IntegrationTest {

    private static final long NO_LIMIT = Long.MAX_VALUE;

    @Inject
    ObjectStore objects;

    @Test
    void aSmallOriginalStaysInMemory() throws IOException {
        byte[] bytes = Images.fixture("photos/dune.jpg");
        upload(prefix + "small.jpg", bytes, "image/jpeg");

        try (Original original = objects.fetch(IMAGES, prefix + "small.jpg", NO_LIMIT, 1 << 20).orElseThrow()) {
            ImageData.InMemory data = assertInstanceOf(ImageData.InMemory.class, original.data());
            assertArrayEquals(bytes, data.bytes());
        }
    }

    @Test
    void aLargeOriginalIsStreamedToATemporaryFileThatClosingDeletes() throws IOException {
        byte[] bytes = Images.synthetic("bmp", 1920, 1200, false); // 6.9 MB
        upload(prefix + "large.bmp", bytes, "image/bmp");

        Path file;
        try (Original original = objects.fetch(IMAGES, prefix + "large.bmp", NO_LIMIT, 1 << 20).orElseThrow()) {
            ImageData.InFile data = assertInstanceOf(ImageData.InFile.class, original.data());
            file = data.file();
            assertEquals(bytes.length, data.size());
            assertArrayEquals(bytes, Files.readAllBytes(file));
            // and the imaging steps read it from there
            Imaging imaging = new Imaging(100_000_000L, TurboJpeg.probe(TurboJpeg.DEBIAN_JAR));
            ImageInfo info = imaging.inspect(data);
            assertEquals(List.of(1280), imaging.renderAll(data, List.of(new RenditionSpec("large", 1280, 1280, Fit.BOUND, OutputFormat.SAME, 85)))
                    .stream().map(r -> Math.max(r.width(), r.height())).toList());
            assertTrue(info.width() > 1280);
        }
        assertFalse(Files.exists(file), "the temporary copy is deleted");
    }

    @Test
    void anOriginalOverTheLimitIsRefusedAndLeavesNoFile() throws IOException {
        byte[] bytes = Images.synthetic("bmp", 1920, 1200, false);
        upload(prefix + "huge.bmp", bytes, "image/bmp");
        List<Path> before = temporaryCopies();

        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> objects.fetch(IMAGES, prefix + "huge.bmp", 4 << 20, 1 << 20));

        assertEquals(Reason.TOO_LARGE, rejected.reason());
        assertEquals(before, temporaryCopies());
    }

    @Test
    void aMissingObjectIsEmpty() {
        assertTrue(objects.fetch(IMAGES, prefix + "gone.jpg", NO_LIMIT, 1 << 20).isEmpty());
    }

    @Test
    void aListingIsWalkedPageByPageInKeyOrder() {
        Instant before = Instant.now().minusSeconds(60);
        List<String> eTags = new ArrayList<>();
        for (String name : List.of("e.txt", "a.txt", "c/d.txt", "b.txt", "c/c.txt")) {
            eTags.add(upload(prefix + name, name.getBytes(StandardCharsets.UTF_8), "text/plain").eTag());
        }
        upload("elsewhere/" + prefix + "a.txt", new byte[1], "text/plain"); // not under the prefix

        List<List<String>> pages = new ArrayList<>();
        List<ListedObject> all = new ArrayList<>();
        Optional<String> after = Optional.empty();
        do {
            ObjectPage page = objects.list(IMAGES, prefix, after, 2);
            assertEquals(IMAGES, page.bucket());
            pages.add(page.objects().stream().map(o -> o.key().substring(prefix.length())).toList());
            all.addAll(page.objects());
            after = page.next();
        } while (after.isPresent());

        assertEquals(List.of(List.of("a.txt", "b.txt"), List.of("c/c.txt", "c/d.txt"), List.of("e.txt")), pages);
        ListedObject e = all.get(4);
        assertEquals(ETag.of(eTags.get(0)), e.eTag(), "the ETag without its quotes, as uploading answered it");
        assertEquals(5, e.size());
        assertTrue(e.lastModified().isAfter(before) && !e.lastModified().isAfter(Instant.now().plusSeconds(60)), e.lastModified().toString());
    }

    @Test
    void aFullPageNamesANextOneThatMayBeEmpty() {
        upload(prefix + "a", new byte[1], "text/plain");
        upload(prefix + "b", new byte[1], "text/plain");

        ObjectPage full = objects.list(IMAGES, prefix, Optional.empty(), 2);
        assertEquals(Optional.of(prefix + "b"), full.next());
        ObjectPage last = objects.list(IMAGES, prefix, full.next(), 2);
        assertEquals(List.of(), last.objects());
        assertEquals(Optional.empty(), last.next());
        assertEquals(List.of(prefix + "b"), objects.list(IMAGES, prefix, Optional.of(prefix + "a"), 1000).objects().stream().map(ListedObject::key).toList(),
                "a page starts after any key, e.g. a checkpoint's");
    }

    @Test
    void aListingOfABucketThatIsNotThereIsTransientAndAPageHoldsAtMostWhatS3Lists() {
        assertThrows(Failure.Transient.class, () -> objects.list("no-such-bucket", "", Optional.empty(), 10));
        assertThrows(IllegalArgumentException.class, () -> objects.list(IMAGES, prefix, Optional.empty(), 0));
        assertThrows(IllegalArgumentException.class, () -> objects.list(IMAGES, prefix, Optional.empty(), ObjectStore.MAX_PAGE_SIZE + 1));
    }

    private static List<Path> temporaryCopies() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("original-")).sorted().toList();
        }
    }
}
