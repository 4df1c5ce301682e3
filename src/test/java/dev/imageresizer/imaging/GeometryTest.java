package dev.imageresizer.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.imageresizer.config.ResizerConfig.Fit;
import dev.imageresizer.imaging.Geometry.Frame;

class GeometryTest {

    @ParameterizedTest(name = "{0}x{1} in {2}x{3} {4} -> scaled {5}x{6}, out {7}x{8}")
    @CsvSource({
            // source      box         fit    scaled      output
            "4000, 3000, 1280, 1280, BOUND, 1280,  960, 1280,  960",
            "3000, 4000, 1280, 1280, BOUND,  960, 1280,  960, 1280",
            "1920, 1080,  640,  640, BOUND,  640,  360,  640,  360",
            "1200, 1800,  640,  640, BOUND,  427,  640,  427,  640",
            "1000,  500, 1280, 1280, BOUND, 1000,  500, 1000,  500", // smaller than the box: own size
            "1280, 1280, 1280, 1280, BOUND, 1280, 1280, 1280, 1280",
            "1281,  100, 1280, 1280, BOUND, 1280,  100, 1280,  100",
            "16384, 18432, 1280, 1280, BOUND, 1138, 1280, 1138, 1280",
            "10000,    1,  640,  640, BOUND,  640,    1,  640,    1", // never collapses below 1 pixel
            "4000, 3000,  150,  150, COVER,  200,  150,  150,  150",
            "3000, 4000,  150,  150, COVER,  150,  200,  150,  150",
            "1200, 1800,  150,  150, COVER,  150,  225,  150,  150",
            " 300,  150,  150,  150, COVER,  300,  150,  150,  150", // fills the box without scaling: crop only
            " 200,  100,  150,  150, COVER,  200,  100,  150,  100", // too small to fill: crop what exceeds, no upscale
            "  32,   32,  150,  150, COVER,   32,   32,   32,   32",
            "1920, 1080,  300,  100, COVER,  300,  169,  300,  100",
    })
    void frames(int width, int height, int boxWidth, int boxHeight, Fit fit, int scaledWidth, int scaledHeight, int outWidth, int outHeight) {
        assertEquals(new Frame(scaledWidth, scaledHeight, outWidth, outHeight), Geometry.frame(width, height, boxWidth, boxHeight, fit));
    }
}
