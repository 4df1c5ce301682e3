package dev.imageresizer.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Node;

import dev.imageresizer.config.ResizerConfig.Fit;
import dev.imageresizer.config.ResizerConfig.OutputFormat;

/** Animated renditions of an animation built frame by frame: composed, scaled, timed and looped as the original. */
class AnimatedGifTest {

    private static final String FORMAT = "javax_imageio_gif_image_1.0";
    /** The squares the frames after the first add, one each, left to right. */
    private static final Color[] SQUARES = { Color.BLUE, Color.GREEN, Color.YELLOW, Color.WHITE, Color.MAGENTA };

    @Test
    void everyFrameIsComposedScaledAndKeepsItsDelayAndTheLoop() throws IOException {
        byte[] gif = animation();
        Imaging imaging = new Imaging(100_000_000L, TurboJpeg.Probe.java("test"));
        ImageInfo info = imaging.inspect(ImageData.of(gif));
        assertEquals(6, info.frames());
        List<Target> targets = List.of(
                Target.plan(new RenditionSpec("small", 120, 120, Fit.BOUND, OutputFormat.SAME, 85), info, true),
                Target.plan(new RenditionSpec("thumb", 50, 50, Fit.COVER, OutputFormat.SAME, 85), info, true));
        assertTrue(targets.stream().allMatch(t -> t.format() == ImageFormat.GIF));

        List<Rendered> rendered = imaging.renderAnimated(ImageData.of(gif), info, targets, r -> {
        });

        ImageReader reader = read(rendered.get(0).bytes());
        assertEquals(6, reader.getNumImages(true));
        for (int i = 0; i < 6; i++) {
            BufferedImage frame = reader.read(i);
            assertEquals(120, frame.getWidth());
            assertEquals(80, frame.getHeight());
            assertEquals(Integer.toString(10 + i), control(reader, i).getAttribute("delayTime"), "frame " + i);
            // the square frame i added is there (disposal "none" keeps the ones before), scaled by 1/2
            if (i > 0) {
                assertClose(SQUARES[i - 1], new Color(frame.getRGB(20 + 40 * (i - 1) / 2 + 5, 40)), "frame " + i);
            }
            assertClose(Color.RED, new Color(frame.getRGB(5, 5)), "background of frame " + i);
        }
        assertEquals(0, loops(reader), "loops forever, as the original");
        ImageReader thumb = read(rendered.get(1).bytes());
        assertEquals(6, thumb.getNumImages(true));
        assertEquals(50, thumb.read(5).getWidth());
        assertEquals(50, thumb.read(5).getHeight());
        assertEquals("image/gif", rendered.get(1).contentType());
    }

    @Test
    void withoutKeepAnAnimationIsAStill() throws IOException {
        ImageInfo info = new Imaging(100_000_000L, TurboJpeg.Probe.java("test")).inspect(ImageData.of(animation()));

        assertEquals(ImageFormat.JPEG, Target.plan(new RenditionSpec("small", 120, 120, Fit.BOUND, OutputFormat.SAME, 85), info).format());
        assertEquals(ImageFormat.PNG, Target.plan(new RenditionSpec("small", 120, 120, Fit.BOUND, OutputFormat.PNG, 85), info, true).format(),
                "a rendition with a format of its own stays a still");
    }

    @Test
    void withKeepAWebpRenditionIsAStillOfTheFirstFrame() throws IOException {
        byte[] gif = animation();
        Imaging imaging = new Imaging(100_000_000L, TurboJpeg.Probe.java("test"));
        ImageInfo info = imaging.inspect(ImageData.of(gif));
        Target webp = Target.plan(new RenditionSpec("small", 120, 120, Fit.BOUND, OutputFormat.WEBP, 85), info, true);
        assertEquals(ImageFormat.WEBP, webp.format(), "the WebP encoder writes no animation");

        Rendered still = imaging.render(ImageData.of(gif), info, List.of(webp)).get(0);

        assertEquals("image/webp", still.contentType());
        ImageReader reader = ImageIO.getImageReadersByFormatName("webp").next();
        reader.setInput(ImageIO.createImageInputStream(new ByteArrayInputStream(still.bytes())));
        assertEquals(1, reader.getNumImages(true));
        BufferedImage frame = reader.read(0);
        assertEquals(120, frame.getWidth());
        assertEquals(80, frame.getHeight());
        assertClose(Color.RED, new Color(frame.getRGB(5, 5)), "background");
        assertClose(Color.RED, new Color(frame.getRGB(25, 40)), "where the second frame adds its square");
    }

    /** 240x160, red; then five frames, each a 20x20 square 40 px right of the one before, delays 10 to 15, looping forever. */
    private static byte[] animation() throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
            for (int i = 0; i < 6; i++) {
                BufferedImage frame = new BufferedImage(i == 0 ? 240 : 20, i == 0 ? 160 : 20, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = frame.createGraphics();
                g.setColor(i == 0 ? Color.RED : SQUARES[i - 1]);
                g.fillRect(0, 0, frame.getWidth(), frame.getHeight());
                g.dispose();
                IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(frame), null);
                IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(FORMAT);
                IIOMetadataNode descriptor = AnimatedGif.child(root, "ImageDescriptor");
                descriptor.setAttribute("imageLeftPosition", Integer.toString(i == 0 ? 0 : 40 + 40 * (i - 1)));
                descriptor.setAttribute("imageTopPosition", Integer.toString(i == 0 ? 0 : 70));
                IIOMetadataNode control = AnimatedGif.child(root, "GraphicControlExtension");
                control.setAttribute("disposalMethod", "none");
                control.setAttribute("delayTime", Integer.toString(10 + i));
                if (i == 0) {
                    IIOMetadataNode application = new IIOMetadataNode("ApplicationExtension");
                    application.setAttribute("applicationID", "NETSCAPE");
                    application.setAttribute("authenticationCode", "2.0");
                    application.setUserObject(new byte[] { 1, 0, 0 });
                    AnimatedGif.child(root, "ApplicationExtensions").appendChild(application);
                }
                metadata.setFromTree(FORMAT, root);
                writer.writeToSequence(new IIOImage(frame, null, metadata), null);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    private static ImageReader read(byte[] gif) throws IOException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        reader.setInput(ImageIO.createImageInputStream(new ByteArrayInputStream(gif)));
        return reader;
    }

    private static IIOMetadataNode control(ImageReader reader, int frame) throws IOException {
        return AnimatedGif.child((IIOMetadataNode) reader.getImageMetadata(frame).getAsTree(FORMAT), "GraphicControlExtension");
    }

    private static int loops(ImageReader reader) throws IOException {
        IIOMetadataNode applications = AnimatedGif.child((IIOMetadataNode) reader.getImageMetadata(0).getAsTree(FORMAT), "ApplicationExtensions");
        for (Node n = applications.getFirstChild(); n != null; n = n.getNextSibling()) {
            byte[] data = (byte[]) ((IIOMetadataNode) n).getUserObject();
            return (data[1] & 0xff) | (data[2] & 0xff) << 8;
        }
        return -1;
    }

    private static void assertClose(Color expected, Color actual, String what) {
        int difference = Math.abs(expected.getRed() - actual.getRed()) + Math.abs(expected.getGreen() - actual.getGreen())
                + Math.abs(expected.getBlue() - actual.getBlue());
        assertTrue(difference < 60, what + ": expected " + expected + ", was " + actual);
    }
}
