package dev.imageresizer.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;

import org.junit.jupiter.api.Test;

class ImageIoPluginsTest {

    private static final Path EXTERNAL = Path.of("src/test/resources/external");

    @Test
    void holdsEveryReaderTwelveMonkeysDeclares() throws IOException {
        Set<String> declared = new TreeSet<>();
        for (URL file : Collections.list(getClass().getClassLoader().getResources("META-INF/services/javax.imageio.spi.ImageReaderSpi"))) {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(file.openStream(), StandardCharsets.UTF_8))) {
                lines.lines().map(l -> l.replaceAll("#.*", "").strip()).filter(l -> l.startsWith("com.twelvemonkeys.")).forEach(declared::add);
            }
        }
        Set<String> held = new TreeSet<>(ImageIoPlugins.twelveMonkeys().stream().map(p -> p.getClass().getName()).toList());
        assertEquals(declared, held);
    }

    @Test
    void twelveMonkeysReadsAheadOfTheJdk() {
        for (String format : List.of("jpeg", "tiff", "bmp")) {
            List<String> readers = readersOf(format);
            assertTrue(readers.get(0).startsWith("com.twelvemonkeys."), format + ": " + readers);
            assertTrue(readers.stream().anyMatch(r -> r.startsWith("com.sun.imageio.")), format + ": " + readers);
        }
        for (String format : List.of("png", "gif")) {
            assertEquals(1, readersOf(format).size(), format);
        }
        // webp-imageio's jar declares a libwebp reader too: originals are never decoded by native code
        assertEquals(List.of("com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi"), readersOf("webp"));
    }

    /**
     * What the native executable's ImageIO holds: the JDK's readers only. WebP, BigTIFF, OS/2 BMP and CMYK JPEG
     * still decode, with TwelveMonkeys.
     */
    @Test
    void decodesWithTwelveMonkeysWhateverImageIoHolds() throws IOException {
        IIORegistry imageIo = IIORegistry.getDefaultInstance();
        List<ImageReaderSpi> removed = new ArrayList<>();
        for (Iterator<ImageReaderSpi> all = imageIo.getServiceProviders(ImageReaderSpi.class, false); all.hasNext();) {
            ImageReaderSpi reader = all.next();
            if (reader.getClass().getName().startsWith("com.twelvemonkeys.")) {
                removed.add(reader);
            }
        }
        removed.forEach(reader -> imageIo.deregisterServiceProvider(reader, ImageReaderSpi.class));
        try {
            assertTrue(!removed.isEmpty() && !imageIo.getServiceProviders(ImageReaderSpi.class, false).next().getClass().getName().startsWith("com.twelvemonkeys."));
            assertDecodes(ImageFormat.WEBP, "pillow/hopper.webp", 128, 128);
            assertDecodes(ImageFormat.TIFF, "pillow/hopper_bigtiff.tif", 128, 128);
            assertDecodes(ImageFormat.BMP, "bmpsuite/pal8os2v2-16.bmp", 127, 64);
            assertDecodes(ImageFormat.JPEG, "pillow/pil_sample_cmyk.jpg", 100, 100);
        } finally {
            removed.forEach(reader -> imageIo.registerServiceProvider(reader, ImageReaderSpi.class));
        }
    }

    private static void assertDecodes(ImageFormat format, String file, int width, int height) throws IOException {
        ImageReader reader = ImageReaders.open(format, new ImageData.InMemory(Files.readAllBytes(EXTERNAL.resolve(file))));
        try {
            assertTrue(reader.getClass().getName().startsWith("com.twelvemonkeys."), file + ": " + reader.getClass().getName());
            BufferedImage image = reader.read(0);
            assertNotNull(image, file);
            assertEquals(width + "x" + height, image.getWidth() + "x" + image.getHeight(), file);
        } finally {
            ImageReaders.close(reader);
        }
    }

    private static List<String> readersOf(String format) {
        List<String> names = new ArrayList<>();
        for (Iterator<ImageReaderSpi> readers = ImageIoPlugins.readers(); readers.hasNext();) {
            ImageReaderSpi reader = readers.next();
            if (List.of(reader.getFormatNames()).stream().anyMatch(format::equalsIgnoreCase)) {
                names.add(reader.getClass().getName());
            }
        }
        return names;
    }
}
