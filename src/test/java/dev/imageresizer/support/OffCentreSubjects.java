package dev.imageresizer.support;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

/**
 * Images whose subject is away from the centre, so that a centred {@code cover} crop cuts it off: a textured subject
 * pasted on a flat background, named by its facts. Made in code (deterministic noise), nothing to store.
 */
public final class OffCentreSubjects {

    /** One such image and where its subject is, in the image's pixels. */
    public record Subject(String name, BufferedImage image, Rectangle bounds) {
    }

    private static final Color BACKGROUND = new Color(118, 136, 152);
    private static final Color SKIN = new Color(224, 172, 140);

    private OffCentreSubjects() {
    }

    /** A skin-toned face-like subject or a saturated pattern, at an edge or corner of landscape and portrait images. */
    public static List<Subject> all() {
        return List.of(
                skin("skin-left-600x400", 600, 400, new Rectangle(20, 140, 120, 120)),
                skin("skin-bottom-right-600x400", 600, 400, new Rectangle(460, 260, 120, 120)),
                skin("skin-top-left-400x640", 400, 640, new Rectangle(30, 20, 110, 110)),
                skin("skin-bottom-400x640", 400, 640, new Rectangle(150, 520, 100, 100)),
                saturated("saturated-right-640x360", 640, 360, new Rectangle(520, 110, 100, 130)),
                saturated("saturated-top-left-300x900", 300, 900, new Rectangle(10, 15, 120, 140)));
    }

    /** A skin-toned oval with noise, dark eyes and a mouth. */
    static Subject skin(String name, int width, int height, Rectangle at) {
        BufferedImage image = flat(width, height);
        Random random = new Random(name.hashCode());
        for (int y = at.y; y < at.y + at.height; y++) {
            for (int x = at.x; x < at.x + at.width; x++) {
                double dx = (x - at.getCenterX()) / (at.width / 2.0);
                double dy = (y - at.getCenterY()) / (at.height / 2.0);
                if (dx * dx + dy * dy <= 1) {
                    int n = random.nextInt(41) - 20;
                    image.setRGB(x, y, rgb(SKIN.getRed() + n, SKIN.getGreen() + n, SKIN.getBlue() + n));
                }
            }
        }
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(40, 30, 30));
        g.fillOval(at.x + at.width / 4 - 6, at.y + at.height / 3, 12, 9);
        g.fillOval(at.x + 3 * at.width / 4 - 6, at.y + at.height / 3, 12, 9);
        g.fillRect(at.x + at.width / 3, at.y + 2 * at.height / 3, at.width / 3, 5);
        g.dispose();
        return new Subject(name, image, at);
    }

    /** A checkerboard of saturated red and blue with noise. */
    static Subject saturated(String name, int width, int height, Rectangle at) {
        BufferedImage image = flat(width, height);
        Random random = new Random(name.hashCode());
        for (int y = at.y; y < at.y + at.height; y++) {
            for (int x = at.x; x < at.x + at.width; x++) {
                int n = random.nextInt(31) - 15;
                boolean red = ((x - at.x) / 10 + (y - at.y) / 10) % 2 == 0;
                image.setRGB(x, y, red ? rgb(230 + n, 20 + n, 30 + n) : rgb(20 + n, 40 + n, 220 + n));
            }
        }
        return new Subject(name, image, at);
    }

    private static BufferedImage flat(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    private static int rgb(int r, int g, int b) {
        return (clamp(r) << 16) | (clamp(g) << 8) | clamp(b);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
