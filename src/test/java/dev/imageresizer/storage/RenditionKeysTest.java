package dev.imageresizer.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.imageresizer.imaging.ImageFormat;
import dev.imageresizer.pipeline.Failure;

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
        assertEquals(expected, new RenditionKeys(prefix, includeBucket).key("thumb", bucket, key, source, output));
    }

    @Test
    void aPngAndAJpegOfTheSameNameNeverMeet() {
        RenditionKeys keys = new RenditionKeys("", false);

        assertNotEquals(keys.key("small", "images", "a.png", ImageFormat.PNG, ImageFormat.JPEG),
                keys.key("small", "images", "a.jpg", ImageFormat.JPEG, ImageFormat.JPEG));
    }

    @Test
    void equalKeysInTwoSourceBucketsNeverMeet() {
        RenditionKeys keys = new RenditionKeys("", true);

        assertNotEquals(keys.key("small", "images", "a.jpg"), keys.key("small", "uploads", "a.jpg"));
    }

    @Test
    void aRenditionKeyOverS3sLimitIsRefusedNotRetried() {
        RenditionKeys keys = new RenditionKeys("", false);
        String longest = "k".repeat(1024 - "small/".length());
        assertEquals(1024, keys.key("small", "images", longest).length());

        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> keys.key("small", "images", longest + "k"));
        assertEquals(Failure.Reason.UNSAFE_KEY, rejected.reason());
        // the extension of a converted format counts too
        assertThrows(Failure.Rejected.class, () -> keys.key("small", "images", longest, ImageFormat.GIF, ImageFormat.PNG));
        // multi-byte characters count in UTF-8 bytes
        assertThrows(Failure.Rejected.class, () -> keys.key("small", "images", "é".repeat(510)));
    }
}
