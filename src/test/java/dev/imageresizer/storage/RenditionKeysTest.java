package dev.imageresizer.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.imageresizer.imaging.ImageFormat;

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
}
