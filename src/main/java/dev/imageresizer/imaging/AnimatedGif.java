package dev.imageresizer.imaging;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import org.w3c.dom.Node;

import com.sksamuel.scrimage.ImmutableImage;

import dev.imageresizer.imaging.Geometry.Frame;
import dev.imageresizer.failure.Failure;
import dev.imageresizer.failure.Failure.Reason;

/**
 * Animated renditions of an animated GIF ({@code resizer.animation=keep}): every frame is composed on the logical
 * screen as a viewer would (offsets, transparency, disposal), then scaled (and cropped, for {@code cover}) to each
 * rendition and written as one full frame with the original's delay, in the original's loop. One frame at a time: memory
 * is the screen, its previous state and one scaled frame per rendition, whatever the frame count (itself bounded by
 * {@code max-frames} before this runs).
 */
final class AnimatedGif {

    private static final String FORMAT = "javax_imageio_gif_image_1.0";

    private AnimatedGif() {
    }

    static List<Rendered> render(ImageData data, ImageInfo info, List<Target> targets, Consumer<Rendered> done) {
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        List<Output> outputs = new ArrayList<>();
        try (ImageInputStream in = data.imageStream()) {
            reader.setInput(in, false, false);
            for (Target target : targets) {
                outputs.add(new Output(target));
            }
            BufferedImage screen = new BufferedImage(info.width(), info.height(), BufferedImage.TYPE_INT_ARGB);
            int loops = -1;
            for (int i = 0; i < info.frames(); i++) {
                BufferedImage frame;
                try {
                    frame = reader.read(i);
                } catch (IndexOutOfBoundsException e) {
                    if (i == 0) {
                        throw e;
                    }
                    break; // fewer frames than blocks counted (a cut-off file): the frames there are
                }
                IIOMetadataNode metadata = (IIOMetadataNode) reader.getImageMetadata(i).getAsTree(FORMAT);
                IIOMetadataNode descriptor = child(metadata, "ImageDescriptor");
                IIOMetadataNode control = child(metadata, "GraphicControlExtension");
                int left = attribute(descriptor, "imageLeftPosition", 0);
                int top = attribute(descriptor, "imageTopPosition", 0);
                int delay = attribute(control, "delayTime", 0);
                String disposal = control.getAttribute("disposalMethod");
                if (i == 0) {
                    loops = loopCount(metadata);
                }
                BufferedImage before = "restoreToPrevious".equals(disposal) ? copy(screen) : null;
                Graphics2D g = screen.createGraphics();
                g.drawImage(frame, left, top, null);
                g.dispose();
                for (Output output : outputs) {
                    output.write(screen, delay, i == 0 ? loops : -1);
                }
                if ("restoreToBackgroundColor".equals(disposal)) {
                    Graphics2D clear = screen.createGraphics();
                    clear.setComposite(AlphaComposite.Clear);
                    clear.fillRect(left, top, frame.getWidth(), frame.getHeight());
                    clear.dispose();
                } else if (before != null) {
                    screen = before;
                }
            }
            List<Rendered> rendered = new ArrayList<>();
            for (Output output : outputs) {
                Rendered result = new Rendered(output.target, output.finish());
                rendered.add(result);
                done.accept(result);
            }
            return rendered;
        } catch (IOException | RuntimeException e) {
            if (e instanceof Failure) {
                throw (Failure) e;
            }
            throw Failure.rejected(Reason.CORRUPT, "corrupt GIF animation: " + e, e);
        } finally {
            reader.dispose();
            outputs.forEach(Output::close);
        }
    }

    /** One animated rendition being written. */
    private static final class Output {
        private final Target target;
        private final ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(bytes);

        Output(Target target) throws IOException {
            this.target = target;
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
        }

        /** @param loops the NETSCAPE2.0 loop count to write (0: forever), or -1 for none (all frames but the first) */
        void write(BufferedImage screen, int delay, int loops) throws IOException {
            Frame frame = target.frame();
            BufferedImage scaled = Renderer.scale(ImmutableImage.wrapAwt(screen), frame.scaledWidth(), frame.scaledHeight()).awt();
            BufferedImage image = scaled.getWidth() == frame.width() && scaled.getHeight() == frame.height() ? scaled
                    : copy(scaled.getSubimage((scaled.getWidth() - frame.width()) / 2, (scaled.getHeight() - frame.height()) / 2,
                            frame.width(), frame.height()));
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(image), param);
            IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(FORMAT);
            IIOMetadataNode control = child(root, "GraphicControlExtension");
            // every frame is whole: cleared before the next, so transparent pixels never show the frame before
            control.setAttribute("disposalMethod", "restoreToBackgroundColor");
            control.setAttribute("userInputFlag", "FALSE");
            control.setAttribute("delayTime", Integer.toString(delay));
            if (loops >= 0) {
                IIOMetadataNode application = new IIOMetadataNode("ApplicationExtension");
                application.setAttribute("applicationID", "NETSCAPE");
                application.setAttribute("authenticationCode", "2.0");
                application.setUserObject(new byte[] { 1, (byte) (loops & 0xff), (byte) (loops >> 8 & 0xff) });
                child(root, "ApplicationExtensions").appendChild(application);
            }
            metadata.setFromTree(FORMAT, root);
            writer.writeToSequence(new IIOImage(image, null, metadata), param);
        }

        byte[] finish() throws IOException {
            writer.endWriteSequence();
            stream.flush();
            return bytes.toByteArray();
        }

        void close() {
            writer.dispose();
            try {
                stream.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The NETSCAPE2.0 loop count of the first frame: 0 loops forever; an animation without one plays once, as -1 says. */
    private static int loopCount(IIOMetadataNode metadata) {
        IIOMetadataNode applications = child(metadata, "ApplicationExtensions");
        for (Node n = applications.getFirstChild(); n != null; n = n.getNextSibling()) {
            IIOMetadataNode application = (IIOMetadataNode) n;
            if ("NETSCAPE".equals(application.getAttribute("applicationID")) && application.getUserObject() instanceof byte[] data
                    && data.length >= 3 && data[0] == 1) {
                return (data[1] & 0xff) | (data[2] & 0xff) << 8;
            }
        }
        return -1;
    }

    /** The child node {@code name} of a metadata tree, added when missing. */
    static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeName().equals(name)) {
                return (IIOMetadataNode) n;
            }
        }
        IIOMetadataNode created = new IIOMetadataNode(name);
        root.appendChild(created);
        return created;
    }

    private static int attribute(IIOMetadataNode node, String name, int otherwise) {
        String value = node.getAttribute(name);
        return value == null || value.isEmpty() ? otherwise : Integer.parseInt(value);
    }

    private static BufferedImage copy(BufferedImage image) {
        BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = copy.createGraphics();
        g.setComposite(AlphaComposite.Src);
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return copy;
    }
}
