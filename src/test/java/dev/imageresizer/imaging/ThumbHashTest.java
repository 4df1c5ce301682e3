package dev.imageresizer.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ThumbHashTest {

    /**
     * Hashes of the same synthetic images made by the reference implementation (npm {@code thumbhash} 0.1.1,
     * {@code rgbaToThumbHash}), byte for byte.
     */
    @ParameterizedTest(name = "{0}x{1} alpha {2}")
    @CsvSource({
            "100, 75, false, 3wcKNZqAh3dwd4d4d3h3h3CAB/h3",
            "60, 100, false, 3/cJNBpwB4d4d3d3d4iAgAj4eA==",
            "100, 100, true, 3weGFQgFcHdwiId3d4CACPiHRkYcHlXEQA==",
            "1, 1, false, AAgCBwAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "37, 19, true, H/iFE4oVkIegh4mgoAr2mHh3V4AXing=",
    })
    void matchesTheReferenceImplementation(int width, int height, boolean alpha, String expected) {
        assertEquals(expected, Base64.getEncoder().encodeToString(ThumbHash.encode(width, height, image(width, height, alpha))));
    }

    @Test
    void refusesImagesOverTheBox() {
        assertThrows(IllegalArgumentException.class, () -> ThumbHash.encode(101, 10, new byte[101 * 10 * 4]));
    }

    /** Gradients in red and green, a pattern in blue, and (with alpha) holes and varying opacity. */
    private static byte[] image(int width, int height, boolean alpha) {
        byte[] rgba = new byte[width * height * 4];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = 4 * (y * width + x);
                rgba[i] = (byte) (int) (x * 255.0 / (width - 1));
                rgba[i + 1] = (byte) (int) (y * 255.0 / (height - 1));
                rgba[i + 2] = (byte) ((x * 37 + y * 91) % 256);
                rgba[i + 3] = (byte) (alpha ? ((x + y) % 3 == 0 ? 0 : (x * 7 + y * 13) % 256) : 255);
            }
        }
        return rgba;
    }
}
