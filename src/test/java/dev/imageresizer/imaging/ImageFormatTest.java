package dev.imageresizer.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.imageresizer.failure.Failure;
import dev.imageresizer.failure.Failure.Reason;
import dev.imageresizer.support.Images;

class ImageFormatTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "fixtures/photos/dune.jpg, JPEG",
            "fixtures/photos/coffee.png, PNG",
            "external/bmpsuite/pal8.bmp, BMP",
            "external/bmpsuite/rgb24.bmp, BMP",
            "external/pillow/hopper.tif, TIFF",
            "external/pillow/hopper_bigtiff.tif, TIFF",
            "fixtures/pngsuite/png/basn6a16.png, PNG",
            "fixtures/exif-orientation/Landscape_6.jpg, JPEG",
    })
    void sniffsSharedFiles(String file, ImageFormat expected) {
        assertEquals(expected, ImageFormat.sniff(Images.read(file)));
    }

    @Test
    void sniffsGifFromContentNotName() {
        assertEquals(ImageFormat.GIF, ImageFormat.sniff(Images.synthetic("gif", 10, 10, false)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "fixtures/photos/two-wings.webp", "external/image-rs/anim.webp" })
    void sniffsWebp(String file) {
        assertEquals(ImageFormat.WEBP, ImageFormat.sniff(Images.read(file)));
    }

    @Test
    void sniffsBigTiffAsTiff() {
        assertEquals(ImageFormat.TIFF, ImageFormat.sniff(java.util.HexFormat.of().parseHex("49492b00080000000000")));
        assertEquals(ImageFormat.TIFF, ImageFormat.sniff(java.util.HexFormat.of().parseHex("4d4d002b000800000000")));
    }

    @ParameterizedTest(name = "{0} is {2}")
    @CsvSource(delimiter = '|', value = {
            "heic major brand                 | 00000018667479706865696300000000                 | HEIF",
            "heix (10-bit) major brand        | 000000186674797068656978000000006d69663168656963 | HEIF",
            "mif1 with heic compatible        | 000000186674797068656963000000006d69663168656963 | HEIF",
            "mif1 alone                       | 00000010667479706d69663100000000                 | HEIF",
            "avif major brand                 | 0000001c667479706176696600000000                 | AVIF",
            "avis (sequence) major brand      | 0000001c667479706176697300000000                 | AVIF",
            "mif1 with avif compatible        | 0000001c667479706d696631000000006d69663161766966 | AVIF",
            "heif-enc HEIC                     | fixtures/heif/coffee-600x400.heic                | HEIF",
            "heif-enc AVIF                    | fixtures/heif/coffee-600x400.avif                | AVIF",
            "Pillow's HEIF                    | external/pillow/hopper.heif                      | HEIF",
    })
    void sniffsHeifAndAvifByTheirBrands(String name, String hexOrFile, ImageFormat expected) {
        byte[] head = hexOrFile.contains("/") ? Images.read(hexOrFile) : java.util.HexFormat.of().parseHex(hexOrFile);
        assertEquals(expected, ImageFormat.sniff(head));
    }

    @Test
    void anMp4IsNotAnImage() {
        byte[] mp4 = java.util.HexFormat.of().parseHex("00000018667479706d703432000000006d70343169736f6d");
        assertEquals(Reason.NOT_AN_IMAGE, assertThrows(Failure.Rejected.class, () -> ImageFormat.sniff(mp4)).reason());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "svg    | 3c73766720786d6c6e733d22         | SVG",
            "psd    | 38425053000100000000             | PSD",
            "jp2    | 0000000c6a5020200d0a870a         | JPEG 2000",
            "ico    | 00000100010010100000             | ICO",
            "hdr    | 233f52414449414e43450a           | Radiance HDR",
            "ppm    | 50360a3220320a3235350a           | PNM",
            "pdf    | 255044462d312e370a               | PDF",
    })
    void recognisesImagesWeDoNotDecode(String name, String hex, String reported) {
        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> ImageFormat.sniff(java.util.HexFormat.of().parseHex(hex)));
        assertEquals(Reason.UNSUPPORTED, rejected.reason());
        assertTrue(rejected.getMessage().contains(reported), rejected.getMessage());
    }

    @ParameterizedTest
    @CsvSource({ "'hello, world'", "'{\"json\": true}'", "'BM but not a bitmap header'" })
    void everythingElseIsNotAnImage(String text) {
        // (a BMP file header whose reserved bytes are zero but whose info header has no known size is a corrupt BMP)
        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> ImageFormat.sniff(text.getBytes(StandardCharsets.UTF_8)));
        assertEquals(Reason.NOT_AN_IMAGE, rejected.reason());
    }

    @Test
    void anEmptyObjectIsNotAnImage() {
        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> ImageFormat.sniff(new byte[0]));
        assertEquals(Reason.NOT_AN_IMAGE, rejected.reason());
        assertTrue(rejected.getMessage().contains("empty"));
    }
}
