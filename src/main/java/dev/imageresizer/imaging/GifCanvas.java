package dev.imageresizer.imaging;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;

import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;

/**
 * A GIF's picture is its logical screen, with the first frame at its offset: a frame smaller than the screen leaves
 * the rest transparent, one larger than the screen (or placed past its edge) enlarges it, as browsers do.
 */
final class GifCanvas {

    private GifCanvas() {
    }

    /** The canvas's width and height, from the reader positioned on the GIF. */
    static int[] of(ImageReader reader) throws IOException {
        int[] frame = frame(reader);
        int[] screen = screen(reader);
        return new int[] { Math.max(screen[0], frame[0] + frame[2]), Math.max(screen[1], frame[1] + frame[3]) };
    }

    /** The first frame, decoded with {@code subsampling}, placed on its (equally subsampled) canvas. */
    static BufferedImage place(ImageReader reader, BufferedImage decoded, ImageInfo info, int subsampling) throws IOException {
        int[] frame = frame(reader);
        int width = (info.width() + subsampling - 1) / subsampling;
        int height = (info.height() + subsampling - 1) / subsampling;
        if (frame[0] == 0 && frame[1] == 0 && decoded.getWidth() == width && decoded.getHeight() == height) {
            return decoded;
        }
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = canvas.createGraphics();
        try {
            g.setComposite(AlphaComposite.Src);
            g.drawImage(decoded, frame[0] / subsampling, frame[1] / subsampling, null);
        } finally {
            g.dispose();
        }
        return canvas;
    }

    /** Left, top, width and height of the first frame. */
    private static int[] frame(ImageReader reader) throws IOException {
        IIOMetadataNode descriptor = child(tree(reader.getImageMetadata(0), "javax_imageio_gif_image_1.0"), "ImageDescriptor");
        return new int[] { attribute(descriptor, "imageLeftPosition"), attribute(descriptor, "imageTopPosition"),
                reader.getWidth(0), reader.getHeight(0) };
    }

    private static int[] screen(ImageReader reader) throws IOException {
        IIOMetadataNode screen = child(tree(reader.getStreamMetadata(), "javax_imageio_gif_stream_1.0"), "LogicalScreenDescriptor");
        return new int[] { attribute(screen, "logicalScreenWidth"), attribute(screen, "logicalScreenHeight") };
    }

    private static IIOMetadataNode tree(IIOMetadata metadata, String format) {
        return metadata == null ? null : (IIOMetadataNode) metadata.getAsTree(format);
    }

    private static IIOMetadataNode child(IIOMetadataNode node, String name) {
        if (node != null) {
            for (int i = 0; i < node.getLength(); i++) {
                if (node.item(i) instanceof IIOMetadataNode child && name.equals(child.getNodeName())) {
                    return child;
                }
            }
        }
        return null;
    }

    private static int attribute(IIOMetadataNode node, String name) {
        if (node == null || node.getAttribute(name).isEmpty()) {
            return 0;
        }
        return Math.max(0, Integer.parseInt(node.getAttribute(name)));
    }
}
