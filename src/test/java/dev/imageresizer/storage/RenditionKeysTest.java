package dev.imageresizer.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.imageresizer.imaging.ImageFormat;
import dev.imageresizer.failure.Failure;

class RenditionKeysTest {

    @ParameterizedTest(name = "{0} {1} {2}/{3} -> {4}")
    @CsvSource(delimiter = '|', value = {
            "''           | false | images  | a.jpg                    | JPEG | JPEG | thumb/a.jpg",
            "''           | false | images  | deep/er/Été 2025/ü+1.jpg | JPEG | JPEG | thumb/deep/er/Été 2025/ü+1.jpg",
            "''           | false | images  | a.png                    | PNG  | PNG  | thumb/a.png",
            "''           | false | images  | a.png                    | PNG  | JPEG | thumb/a.png.jpg",
            "''           | false | images  | scan.bmp                 | BMP  | JPEG | thumb/scan.bmp.jpg",
            "''           | false | images  | anim.gif                 | GIF  | PNG  | thumb/anim.gif.png",
            "''           | false | images  | noextension              | JPEG | JPEG | thumb/noextension",
            "renditions/  | false | images  | a.jpg                    | JPEG | JPEG | renditions/thumb/a.jpg",
            "''           | true  | uploads | a.jpg                    | JPEG | JPEG | thumb/uploads/a.jpg",
    })
    void keys(String prefix, boolean includeBucket, String bucket, String key, ImageFormat source, ImageFormat output, String expected) {
        assertEquals(expected, new RenditionKeys(prefix, includeBucket).key("thumb", 150, 150, bucket, key, source, output));
    }

    @Test
    void aPngAndAJpegOfTheSameNameNeverMeet() {
        RenditionKeys keys = new RenditionKeys("", false);

        assertNotEquals(keys.key("small", 640, 640, "images", "a.png", ImageFormat.PNG, ImageFormat.JPEG),
                keys.key("small", 640, 640, "images", "a.jpg", ImageFormat.JPEG, ImageFormat.JPEG));
    }

    @Test
    void equalKeysInTwoSourceBucketsNeverMeet() {
        RenditionKeys keys = new RenditionKeys("", true);

        assertNotEquals(keys.folderKey("small", "images", "a.jpg"), keys.folderKey("small", "uploads", "a.jpg"));
    }

    @Test
    void aRenditionKeyOverS3sLimitIsRefusedNotRetried() {
        RenditionKeys keys = new RenditionKeys("", false);
        String longest = "k".repeat(1024 - "small/".length());
        assertEquals(1024, keys.folderKey("small", "images", longest).length());

        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> keys.folderKey("small", "images", longest + "k"));
        assertEquals(Failure.Reason.UNSAFE_KEY, rejected.reason());
        // the extension of a converted format counts too
        assertThrows(Failure.Rejected.class, () -> keys.key("small", 640, 640, "images", longest, ImageFormat.GIF, ImageFormat.PNG));
        // multi-byte characters count in UTF-8 bytes
        assertThrows(Failure.Rejected.class, () -> keys.folderKey("small", "images", "é".repeat(510)));
    }

    @ParameterizedTest(name = "{0}: {1} -> {4}")
    @CsvSource(delimiter = '|', value = {
            "{dir}{name}_{width}x{height}.{ext}  | photos/cat.jpg     | JPEG | JPEG | out/photos/cat_200x100.jpg",
            "{dir}{name}_{width}x{height}.{ext}  | photos/cat.png     | PNG  | JPEG | out/photos/cat_200x100.jpg",
            "{dir}{name}_{width}x{height}.{ext}  | cat                | JPEG | JPEG | out/cat_200x100.jpg",
            "{rendition}/{key}                   | a/b.png            | PNG  | JPEG | out/thumb/a/b.png.jpg",
            "{bucket}/{rendition}/{key}          | a/b.jpg            | JPEG | JPEG | out/images/thumb/a/b.jpg",
            "{rendition}/{key}                   | odd{name}{ext}.jpg | JPEG | JPEG | out/thumb/odd{name}{ext}.jpg",
    })
    void templates(String template, String key, ImageFormat source, ImageFormat output, String expected) {
        assertEquals(expected, new RenditionKeys("out/", false, Optional.of(template)).key("thumb", 200, 100, "images", key, source, output));
    }

    @Test
    void theShortcutGuessesTheKeyFromTheOriginalsOwnExtension() {
        RenditionKeys keys = new RenditionKeys("", false, Optional.of("{dir}{name}_{width}x{height}.{ext}"));

        assertEquals("p/cat_200x100.jpg", keys.keyInOwnFormat("thumb", 200, 100, "images", "p/cat.JPG"));
        assertEquals(keys.key("thumb", 200, 100, "images", "p/cat.jpg", ImageFormat.JPEG, ImageFormat.JPEG),
                keys.keyInOwnFormat("thumb", 200, 100, "images", "p/cat.jpg"));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "{dir}{name}_{width}x{height}.{ext} | false | ''",
            "{rendition}/{key}                  | false | ''",
            "{dir}{name}.{ext}                  | false | renditions do not overwrite",
            "{rendition}/{name}.{ext}           | false | originals do not overwrite",
            "{rendition}/{key}                  | true  | several source buckets",
            "{rendition}/{key}{size}            | false | unknown placeholder {size}",
            "/{rendition}/{key}                 | false | does not start with '/'",
    })
    void templatesThatWouldMakeKeysMeetAreRefused(String template, boolean multipleSources, String problem) {
        assertEquals(problem, RenditionKeys.problem(template, multipleSources).map(p -> p.contains(problem) ? problem : p).orElse(""));
    }
}
