package dev.imageresizer.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.sksamuel.scrimage.ImmutableImage;

import dev.imageresizer.config.ResizerConfig.Crop;
import dev.imageresizer.config.ResizerConfig.Fit;
import dev.imageresizer.imaging.CropWindow.Box;
import dev.imageresizer.imaging.Geometry.Frame;
import dev.imageresizer.support.OffCentreSubjects;
import dev.imageresizer.support.OffCentreSubjects.Subject;

class CropWindowTest {

    @ParameterizedTest(name = "{2}x{3} centred in {0}x{1} -> {4},{5}")
    @CsvSource({
            // image     window     x    y
            "200, 150, 150, 150,  25,   0",
            "150, 225, 150, 150,   0,  37", // odd excess: the extra pixel is cut from the bottom, as before
            "267, 150, 150, 150,  58,   0",
            "150, 150, 150, 150,   0,   0",
            "300, 169, 300, 100,   0,  34",
    })
    void centre(int imageWidth, int imageHeight, int width, int height, int x, int y) {
        assertEquals(new Box(x, y, width, height), CropWindow.centre(imageWidth, imageHeight, width, height));
    }

    @ParameterizedTest(name = "{2}x{3} in {0}x{1} around {4},{5} -> {6},{7}")
    @CsvSource({
            // image     window     centre        x    y
            "200, 150, 150, 150, 100.0,  75.0,  25,   0", // the image's centre: centred
            "200, 150, 150, 150,   0.0,  75.0,   0,   0", // at the left edge: as far left as it goes
            "200, 150, 150, 150, 200.0,  75.0,  50,   0", // at the right edge: as far right as it goes
            "200, 150, 150, 150,  90.0,  10.0,  15,   0", // inside: centred on it
            "150, 450, 150, 150,  75.0, 300.0,   0, 225",
            "150, 450, 150, 150,  75.0, 420.0,   0, 300",
            "150, 450, 150, 150,  75.0,  80.0,   0,   5",
            "400, 300, 150, 150, 390.0, 290.0, 250, 150", // cut in both directions: the corner
    })
    void around(int imageWidth, int imageHeight, int width, int height, double centreX, double centreY, int x, int y) {
        assertEquals(new Box(x, y, width, height), CropWindow.around(imageWidth, imageHeight, width, height, centreX, centreY));
    }

    @Test
    void aWindowLargerThanTheImageIsABug() {
        assertThrows(IllegalArgumentException.class, () -> CropWindow.centre(100, 100, 150, 100));
        assertThrows(IllegalArgumentException.class, () -> CropWindow.around(100, 100, 100, 101, 50, 50));
    }

    @ParameterizedTest
    @EnumSource(Crop.class)
    void theFocalPointWinsOverEveryStrategy(Crop crop) {
        Subject subject = OffCentreSubjects.all().get(0); // the subject at the left
        ImmutableImage scaled = coverScaled(subject.image(), 150);
        Box box = CropWindow.choose(scaled.awt(), 150, 150, crop, Optional.of(new FocalPoint(1, 0.5)));
        assertEquals(new Box(scaled.width - 150, 0, 150, 150), box, "the right edge, as the uploader said");
    }

    @ParameterizedTest
    @EnumSource(Crop.class)
    void anImageTheSizeOfTheWindowIsNotCut(Crop crop) {
        BufferedImage image = new BufferedImage(150, 150, BufferedImage.TYPE_INT_RGB);
        assertEquals(new Box(0, 0, 150, 150), CropWindow.choose(image, 150, 150, crop, Optional.empty()));
    }

    /** A centred crop cuts every one of these subjects; attention and entropy keep each one whole. */
    @ParameterizedTest
    @EnumSource(value = Crop.class, names = { "ATTENTION", "ENTROPY" })
    void offCentreSubjectsAreKeptWhereTheCentreCutsThem(Crop crop) {
        for (Subject subject : OffCentreSubjects.all()) {
            ImmutableImage scaled = coverScaled(subject.image(), 150);
            Rectangle bounds = scaledBounds(subject, scaled);
            Box centre = CropWindow.choose(scaled.awt(), 150, 150, Crop.CENTRE, Optional.empty());
            assertFalse(contains(centre, bounds), subject.name() + ": the centre crop " + centre + " already keeps " + bounds);
            long start = System.nanoTime();
            Box chosen = CropWindow.choose(scaled.awt(), 150, 150, crop, Optional.empty());
            long micros = (System.nanoTime() - start) / 1000;
            assertTrue(contains(chosen, bounds), subject.name() + ": " + crop + " chose " + chosen + ", which cuts the subject at " + bounds);
            System.out.printf("%s %s: %s in %d us%n", crop, subject.name(), chosen, micros);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Crop.class, names = { "ATTENTION", "ENTROPY" })
    void aFlatImageIsCutInTheCentre(Crop crop) {
        for (int[] size : new int[][] { { 225, 150 }, { 150, 240 }, { 400, 300 } }) {
            BufferedImage flat = new BufferedImage(size[0], size[1], BufferedImage.TYPE_INT_RGB);
            Graphics2D g = flat.createGraphics();
            g.setColor(new Color(200, 150, 120));
            g.fillRect(0, 0, size[0], size[1]);
            g.dispose();
            assertEquals(CropWindow.centre(size[0], size[1], 150, 150), CropWindow.choose(flat, 150, 150, crop, Optional.empty()));
        }
    }

    @Test
    void transparentDetailDoesNotAttract() {
        BufferedImage image = new BufferedImage(300, 150, BufferedImage.TYPE_INT_ARGB);
        Subject subject = OffCentreSubjects.all().get(0);
        for (int y = 0; y < 150; y++) {
            for (int x = 0; x < 300; x++) {
                int rgb = subject.image().getRGB(x % 60 * 2 + 20, y % 60 * 2 + 140) & 0xffffff; // the subject's texture everywhere
                image.setRGB(x, y, (x < 150 ? 0 : 0xff000000) | rgb); // the left half fully transparent
            }
        }
        assertEquals(150, CropWindow.choose(image, 150, 150, Crop.ATTENTION, Optional.empty()).x());
    }

    /** The focal point is given upright; its stored position is where {@link Orientation#apply} takes that pixel from. */
    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 3, 4, 5, 6, 7, 8 })
    void theFocalPointFollowsTheOrientation(int orientation) {
        int width = 40;
        int height = 30;
        int storedX = 7;
        int storedY = 21;
        BufferedImage stored = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        stored.setRGB(storedX, storedY, 0xffffff);
        BufferedImage upright = Orientation.apply(stored, orientation);
        Rectangle marked = null;
        for (int y = 0; y < upright.getHeight(); y++) {
            for (int x = 0; x < upright.getWidth(); x++) {
                if ((upright.getRGB(x, y) & 0xffffff) != 0) {
                    marked = new Rectangle(x, y, 1, 1);
                }
            }
        }
        assertTrue(marked != null);
        FocalPoint focus = new FocalPoint((marked.x + 0.5) / upright.getWidth(), (marked.y + 0.5) / upright.getHeight());
        FocalPoint inStored = focus.stored(orientation);
        assertEquals((storedX + 0.5) / width, inStored.x(), 1e-9, "x");
        assertEquals((storedY + 0.5) / height, inStored.y(), 1e-9, "y");
    }

    @ParameterizedTest
    @CsvSource({ "-0.1, 0.5", "0.5, 1.01", "NaN, 0.5", "0.5, Infinity" })
    void aFocalPointLiesInTheImage(double x, double y) {
        assertThrows(IllegalArgumentException.class, () -> new FocalPoint(x, y));
    }

    @Test
    void aBoundRenditionIsNeverCropped() {
        assertThrows(IllegalArgumentException.class, () -> new RenditionSpec("small", 640, 640, Fit.BOUND,
                dev.imageresizer.config.ResizerConfig.OutputFormat.SAME, 85, Crop.ATTENTION));
    }

    static ImmutableImage coverScaled(BufferedImage image, int box) {
        Frame frame = Geometry.frame(image.getWidth(), image.getHeight(), box, box, Fit.COVER);
        return Renderer.scale(ImmutableImage.wrapAwt(image), frame.scaledWidth(), frame.scaledHeight());
    }

    /** The subject's bounds in the scaled image, shrunk by a pixel for the resampling's blur at its edge. */
    private static Rectangle scaledBounds(Subject subject, ImmutableImage scaled) {
        double sx = (double) scaled.width / subject.image().getWidth();
        double sy = (double) scaled.height / subject.image().getHeight();
        Rectangle b = subject.bounds();
        int x = (int) Math.ceil(b.x * sx) + 1;
        int y = (int) Math.ceil(b.y * sy) + 1;
        return new Rectangle(x, y, (int) Math.floor((b.x + b.width) * sx) - 1 - x, (int) Math.floor((b.y + b.height) * sy) - 1 - y);
    }

    private static boolean contains(Box box, Rectangle r) {
        return r.x >= box.x() && r.y >= box.y() && r.x + r.width <= box.x() + box.width() && r.y + r.height <= box.y() + box.height();
    }
}
