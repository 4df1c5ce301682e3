package dev.imageresizer.imaging;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts a GIF's frames by walking its blocks, without decoding any: an animation of thousands of frames is refused by
 * {@code resizer.limits.max-frames} before a decoder sees it. Stops as soon as the count passes the limit.
 */
final class GifFrames {

    private static final int EXTENSION = 0x21;
    private static final int IMAGE = 0x2C;

    private GifFrames() {
    }

    /**
     * @return the number of frames, or {@code limit + 1} as soon as there are more than {@code limit}; a file that ends
     *         early counts the frames before the end (the decoder then judges the damage)
     */
    static int count(InputStream stream, int limit) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(stream, 64 * 1024));
        int frames = 0;
        try {
            in.skipNBytes(10); // "GIF89a", logical screen width and height
            int packed = in.readUnsignedByte();
            in.skipNBytes(2); // background colour, aspect ratio
            skipColourTable(in, packed);
            while (frames <= limit) {
                int block = in.read();
                if (block == IMAGE) {
                    frames++;
                    in.skipNBytes(8); // left, top, width, height
                    skipColourTable(in, in.readUnsignedByte());
                    in.skipNBytes(1); // LZW minimum code size
                    skipSubBlocks(in);
                } else if (block == EXTENSION) {
                    in.skipNBytes(1); // label
                    skipSubBlocks(in);
                } else {
                    break; // the trailer, the end of the file, or garbage the decoder will judge
                }
            }
        } catch (EOFException e) {
            // truncated: what was counted stands
        }
        return frames;
    }

    private static void skipColourTable(DataInputStream in, int packed) throws IOException {
        if ((packed & 0x80) != 0) {
            in.skipNBytes(3L * (1 << ((packed & 0x07) + 1)));
        }
    }

    private static void skipSubBlocks(DataInputStream in) throws IOException {
        for (int size = in.readUnsignedByte(); size != 0; size = in.readUnsignedByte()) {
            in.skipNBytes(size);
        }
    }
}
