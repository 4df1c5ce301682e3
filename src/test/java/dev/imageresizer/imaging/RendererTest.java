package dev.imageresizer.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.config.ResizerConfig.Crop;
import dev.imageresizer.config.ResizerConfig.Fit;
import dev.imageresizer.config.ResizerConfig.OutputFormat;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.OffCentreSubjects;
import dev.imageresizer.support.OffCentreSubjects.Subject;

class RendererTest {

    private static final RenditionSpec THUMB = new RenditionSpec("thumb", 150, 150, Fit.COVER, OutputFormat.SAME, 85);
    private static final RenditionSpec SMALL = new RenditionSpec("small", 640, 640, Fit.BOUND, OutputFormat.SAME, 85);
    private static final RenditionSpec LARGE = new RenditionSpec("large", 1280, 1280, Fit.BOUND, OutputFormat.SAME, 85);

    private final ImageInspector inspector = new ImageInspector(100_000_000L);
    private final ImageDecoder decoder = new ImageDecoder();
    private final Renderer renderer = new Renderer();

    @Test
    void rendersTheDefaultRenditionsOfAPhotoAtTheirPlannedSizes() {
        List<Rendered> rendered = render("fixtures/photos/elephants-1920.jpg", List.of(THUMB, SMALL, LARGE));

        assertEquals(List.of("thumb", "small", "large"), rendered.stream().map(r -> r.target().spec().name()).toList());
        for (Rendered r : rendered) {
            BufferedImage image = Images.decode(r.bytes());
            assertEquals(r.width(), image.getWidth());
            assertEquals(r.height(), image.getHeight());
            assertEquals("image/jpeg", r.contentType());
        }
        assertEquals(150, rendered.get(0).width());
        assertEquals(150, rendered.get(0).height());
        assertEquals(640, rendered.get(1).width());
        assertEquals(1280, rendered.get(2).width());
    }

    @Test
    void aRenditionLooksLikeItsOriginal() {
        byte[] original = Images.fixture("photos/coffee.png");
        List<Rendered> rendered = render("fixtures/photos/coffee.png", List.of(new RenditionSpec("half", 300, 300, Fit.BOUND, OutputFormat.PNG, 85)));

        BufferedImage expected = scaledReference(Images.decode(original), rendered.get(0).width(), rendered.get(0).height());
        double difference = Images.meanDifference(expected, Images.decode(rendered.get(0).bytes()));
        assertTrue(difference < 6, "mean difference " + difference);
    }

    @Test
    void pngWithAlphaStaysPngWithAlpha() {
        Rendered thumb = render("fixtures/pngsuite/png/basn6a08.png", List.of(THUMB)).get(0);

        assertEquals(ImageFormat.PNG, thumb.target().format());
        BufferedImage image = Images.decode(thumb.bytes());
        assertTrue(image.getColorModel().hasAlpha());
        assertEquals(32, image.getWidth()); // never upscaled
    }

    @Test
    void jpegOutputIsFlattenedAndStripped() {
        Rendered jpeg = render("fixtures/pngsuite/png/basn6a08.png", List.of(new RenditionSpec("j", 150, 150, Fit.BOUND, OutputFormat.JPEG, 90))).get(0);

        assertEquals(ImageFormat.JPEG, ImageFormat.sniff(jpeg.bytes()));
        assertFalse(Images.decode(jpeg.bytes()).getColorModel().hasAlpha());
    }

    @Test
    void noExifSurvives() {
        Rendered small = render("fixtures/exif-orientation/Landscape_6.jpg", List.of(SMALL)).get(0);

        assertFalse(new String(small.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1).contains("Exif"));
        assertEquals(1, ImageInspector.orientation(ImageFormat.JPEG, small.bytes()));
    }

    @Test
    void gifBmpAndTiffBecomeWebFormats() {
        assertEquals(ImageFormat.PNG, plan(Images.synthetic("gif", 64, 48, true), THUMB).format());
        assertEquals(ImageFormat.JPEG, plan(Images.synthetic("bmp", 64, 48, false), THUMB).format());
        assertEquals(ImageFormat.JPEG, plan(Images.synthetic("tiff", 64, 48, false), THUMB).format());
        assertEquals(ImageFormat.PNG, plan(Images.synthetic("png", 64, 48, false), THUMB).format());
        assertEquals(ImageFormat.JPEG, plan(Images.synthetic("jpeg", 64, 48, false), THUMB).format());
    }

    @Test
    void aWebpRenditionBesideAJpegOneOfTheSameSizeLooksTheSameInFewerBytes() {
        List<Rendered> rendered = render("fixtures/photos/elephants-1920.jpg", List.of(SMALL,
                new RenditionSpec("small-webp", 640, 640, Fit.BOUND, OutputFormat.WEBP, 85),
                THUMB, new RenditionSpec("thumb-webp", 150, 150, Fit.COVER, OutputFormat.WEBP, 85)));

        for (int i = 0; i < 4; i += 2) {
            Rendered jpeg = rendered.get(i);
            Rendered webp = rendered.get(i + 1);
            assertEquals("image/webp", webp.contentType());
            assertEquals(ImageFormat.WEBP, ImageFormat.sniff(webp.bytes()));
            BufferedImage decoded = Images.decode(webp.bytes());
            assertEquals(jpeg.width(), decoded.getWidth());
            assertEquals(jpeg.height(), decoded.getHeight());
            // both are lossy copies of the same pixels (the thumb a centre crop), each about 35 dB from them
            double psnr = Images.psnr(Images.decode(jpeg.bytes()), decoded);
            assertTrue(psnr > 30, webp.target().spec().name() + ": PSNR against the JPEG rendition " + psnr);
            assertTrue(webp.bytes().length < jpeg.bytes().length, webp.bytes().length + " vs " + jpeg.bytes().length + " bytes");
        }
    }

    @Test
    void aWebpRenditionIsTurnedUpright() {
        Rendered webp = render("fixtures/exif-orientation/Landscape_6.jpg", List.of(new RenditionSpec("w", 300, 300, Fit.BOUND, OutputFormat.WEBP, 85))).get(0);
        Rendered jpeg = render("fixtures/exif-orientation/Landscape_6.jpg", List.of(new RenditionSpec("j", 300, 300, Fit.BOUND, OutputFormat.JPEG, 85))).get(0);

        BufferedImage decoded = Images.decode(webp.bytes());
        assertTrue(decoded.getWidth() > decoded.getHeight(), decoded.getWidth() + "x" + decoded.getHeight());
        assertTrue(Images.psnr(Images.decode(jpeg.bytes()), decoded) > 30);
    }

    @Test
    void aWebpRenditionOfAPngWithAlphaKeepsItAndCanBeLossless() {
        RenditionSpec lossy = new RenditionSpec("lossy", 150, 150, Fit.BOUND, OutputFormat.WEBP, 85);
        RenditionSpec alpha = new RenditionSpec("alpha", 150, 150, Fit.BOUND, OutputFormat.WEBP, 85, ResizerConfig.Lossless.ALPHA);
        List<Rendered> rendered = render("fixtures/pngsuite/png/basn6a08.png", List.of(lossy, alpha));

        for (Rendered r : rendered) {
            assertTrue(Images.decode(r.bytes()).getColorModel().hasAlpha(), r.target().spec().name());
        }
        assertEquals("VP8X", new String(rendered.get(0).bytes(), 12, 4, java.nio.charset.StandardCharsets.ISO_8859_1)); // lossy + ALPH
        assertEquals("VP8L", new String(rendered.get(1).bytes(), 12, 4, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void anAttentionThumbnailKeepsTheSubjectTheCentredOneCuts() {
        Subject subject = OffCentreSubjects.all().get(0); // a face at the left of 600x400
        RenditionSpec attention = new RenditionSpec("thumb", 150, 150, Fit.COVER, OutputFormat.PNG, 85, Crop.ATTENTION);
        RenditionSpec centre = new RenditionSpec("thumb", 150, 150, Fit.COVER, OutputFormat.PNG, 85);

        BufferedImage kept = renderOne(subject.image(), 1, Optional.empty(), attention);
        BufferedImage cut = renderOne(subject.image(), 1, Optional.empty(), centre);

        int subjectPixels = skinPixels(CropWindowTest.coverScaled(subject.image(), 150).awt());
        assertTrue(skinPixels(kept) >= subjectPixels * 0.95, skinPixels(kept) + " of " + subjectPixels + " skin pixels kept");
        assertTrue(skinPixels(cut) < subjectPixels / 2, skinPixels(cut) + " of " + subjectPixels + " skin pixels in the centre crop");
    }

    /** The focal point is where the uploader sees it (upright); the stored pixels of orientation 6 are turned a quarter. */
    @Test
    void theFocalPointIsCentredInTheUprightRendition() {
        Subject subject = OffCentreSubjects.all().get(1); // a face at the bottom right of 600x400 (upright)
        BufferedImage stored = Orientation.apply(subject.image(), 8); // what orientation 6 shows upright
        FocalPoint focus = new FocalPoint(subject.bounds().getCenterX() / 600, subject.bounds().getCenterY() / 400);
        RenditionSpec centre = new RenditionSpec("thumb", 150, 150, Fit.COVER, OutputFormat.PNG, 85);

        BufferedImage focused = renderOne(stored, 6, Optional.of(focus), centre);
        BufferedImage unfocused = renderOne(stored, 6, Optional.empty(), centre);

        int subjectPixels = skinPixels(CropWindowTest.coverScaled(subject.image(), 150).awt());
        assertTrue(skinPixels(focused) >= subjectPixels * 0.95, skinPixels(focused) + " of " + subjectPixels);
        assertTrue(skinPixels(unfocused) < subjectPixels / 2, skinPixels(unfocused) + " of " + subjectPixels);
        // the subject's right edge is 20 px (5 px scaled) from the image's: the window is as far right as it goes
        assertEquals(0, Images.meanDifference(focused, CropWindowTest.coverScaled(subject.image(), 150).awt().getSubimage(75, 0, 150, 150)), 2.0);
    }

    private BufferedImage renderOne(BufferedImage stored, int orientation, Optional<FocalPoint> focus, RenditionSpec spec) {
        boolean transposed = Orientation.transposes(orientation);
        int width = transposed ? stored.getHeight() : stored.getWidth();
        int height = transposed ? stored.getWidth() : stored.getHeight();
        Target target = new Target(spec, Geometry.frame(width, height, spec.width(), spec.height(), spec.fit()), ImageFormat.PNG);
        return Images.decode(renderer.render(stored, orientation, focus, List.of(target), r -> {
        }).get(0).bytes());
    }

    /** Pixels within 45 of the subject's skin tone on each channel. */
    private static int skinPixels(BufferedImage image) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                if (Math.abs(((rgb >> 16) & 0xff) - 224) <= 45 && Math.abs(((rgb >> 8) & 0xff) - 172) <= 45 && Math.abs((rgb & 0xff) - 140) <= 45) {
                    count++;
                }
            }
        }
        return count;
    }

    private Target plan(byte[] bytes, RenditionSpec spec) {
        return Target.plan(spec, inspector.inspect(bytes));
    }

    private List<Rendered> render(String file, List<RenditionSpec> specs) {
        byte[] bytes = Images.read(file);
        ImageInfo info = inspector.inspect(bytes);
        List<Target> targets = specs.stream().map(s -> Target.plan(s, info)).toList();
        return renderer.render(decoder.decode(bytes, info, 1), info.orientation(), targets);
    }

    /** An independent area-averaging downscale to compare with. */
    private static BufferedImage scaledReference(BufferedImage image, int width, int height) {
        java.awt.Image scaled = image.getScaledInstance(width, height, java.awt.Image.SCALE_AREA_AVERAGING);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        out.createGraphics().drawImage(scaled, 0, 0, null);
        return out;
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}x{1} to {2}x{3}")
    @org.junit.jupiter.params.provider.CsvSource({
            "1280, 853, 640, 427", // a halving a pixel short: the halving is the last step
            "853, 1280, 427, 640",
            "1280, 1280, 640, 640", // exactly half
            "1000, 667, 640, 427", // less than half: Lanczos3 only
            "4000, 3000, 150, 113", // halvings, then Lanczos3
            "320, 213, 225, 150",
            "2000, 1500, 1280, 960", // large renditions: progressive bilinear
            "640, 427, 640, 427" }) // same size: untouched
    void scalingLandsOnTheExactSize(int fromWidth, int fromHeight, int toWidth, int toHeight) {
        com.sksamuel.scrimage.ImmutableImage source = com.sksamuel.scrimage.ImmutableImage.create(fromWidth, fromHeight, BufferedImage.TYPE_INT_RGB);
        com.sksamuel.scrimage.ImmutableImage scaled = Renderer.scale(source, toWidth, toHeight);
        assertEquals(toWidth, scaled.width);
        assertEquals(toHeight, scaled.height);
    }
}
