package dev.imageresizer.imaging;

import java.util.Iterator;
import java.util.List;

import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ServiceRegistry;

import com.twelvemonkeys.imageio.plugins.bmp.BMPImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.bmp.CURImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.bmp.ICOImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.tiff.BigTIFFImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;

/**
 * The ImageIO readers this application decodes with, in a registry of its own: TwelveMonkeys' JPEG, TIFF and BigTIFF,
 * BMP, CUR, ICO and WebP readers, ordered ahead of the JDK's (PNG, GIF and the formats TwelveMonkeys also reads). On the
 * JVM, ImageIO's default registry finds TwelveMonkeys itself from the jars' {@code META-INF/services}; in the native
 * executable it holds the JDK's readers only (no WebP, no BigTIFF, no CMYK JPEG). Choosing from this registry, built
 * at run time (application.properties initialises this class at run time in the executable), gives the same reader
 * for the same bytes in both. TwelveMonkeys' JPEG reader delegates to the JDK's, which it finds in the registry it is
 * registered in: hence the JDK's readers here too. {@code ImageIoPluginsTest} keeps the list equal to the readers
 * TwelveMonkeys' jars declare.
 */
final class ImageIoPlugins {

    private static final ServiceRegistry READERS = readerRegistry();

    private ImageIoPlugins() {
    }

    /** Every reader, TwelveMonkeys' ahead of the JDK's for the formats both read. */
    static Iterator<ImageReaderSpi> readers() {
        return READERS.getServiceProviders(ImageReaderSpi.class, true);
    }

    /** The registry itself, for a test's reader. */
    static ServiceRegistry registry() {
        return READERS;
    }

    /** One instance of each of TwelveMonkeys' readers, in the order of the jars' services files. */
    static List<ImageReaderSpi> twelveMonkeys() {
        return List.of(new JPEGImageReaderSpi(), new TIFFImageReaderSpi(), new BigTIFFImageReaderSpi(),
                new BMPImageReaderSpi(), new CURImageReaderSpi(), new ICOImageReaderSpi(), new WebPImageReaderSpi());
    }

    private static ServiceRegistry readerRegistry() {
        ServiceRegistry registry = new ServiceRegistry(List.<Class<?>>of(ImageReaderSpi.class).iterator());
        Iterator<ImageReaderSpi> standard = IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class, false);
        while (standard.hasNext()) {
            ImageReaderSpi reader = standard.next();
            if (reader.getClass().getName().startsWith("com.sun.imageio.")) {
                registry.registerServiceProvider(reader, ImageReaderSpi.class);
            }
        }
        // each orders itself ahead of the JDK's reader of its format as it registers (the JPEG reader takes the JDK's
        // as its delegate, and withdraws if there is none)
        for (ImageReaderSpi reader : twelveMonkeys()) {
            registry.registerServiceProvider(reader, ImageReaderSpi.class);
        }
        return registry;
    }
}
