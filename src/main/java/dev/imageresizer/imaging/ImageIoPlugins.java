package dev.imageresizer.imaging;

import java.util.List;

import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.IIOServiceProvider;
import javax.imageio.spi.ImageReaderSpi;

import com.luciad.imageio.webp.WebPImageWriterSpi;

import com.twelvemonkeys.imageio.plugins.bmp.BMPImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.bmp.BMPImageWriterSpi;
import com.twelvemonkeys.imageio.plugins.bmp.CURImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.bmp.ICOImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.bmp.ICOImageWriterSpi;
import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageWriterSpi;
import com.twelvemonkeys.imageio.plugins.tiff.BigTIFFImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.tiff.BigTIFFImageWriterSpi;
import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageReaderSpi;
import com.twelvemonkeys.imageio.plugins.tiff.TIFFImageWriterSpi;
import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;
import com.twelvemonkeys.imageio.stream.BufferedFileImageInputStreamSpi;
import com.twelvemonkeys.imageio.stream.BufferedInputStreamImageInputStreamSpi;
import com.twelvemonkeys.imageio.stream.BufferedRAFImageInputStreamSpi;

/**
 * The ImageIO plugins this application decodes with (TwelveMonkeys' JPEG, TIFF and BigTIFF, BMP and WebP readers,
 * which register ahead of the JDK's), registered by name. On the JVM, ImageIO finds them itself from the jars'
 * {@code META-INF/services}; a native executable has no such lookup, and without this it would decode with the JDK's
 * readers only: no WebP, no BigTIFF, no CMYK JPEG. {@code ImageIoPluginsTest} keeps the list equal to the services
 * files on the class path, but for imageio-core's {@code ProfileDeferralActivator}, which is not public (on the JVM it
 * defers the JDK's colour-profile initialisation; the native executable initialises it like any other class).
 *
 * <p>
 * webp-imageio's writer is registered (renditions of format {@code webp}). Its reader, which its jar declares too, is
 * not: it would run libwebp's native decoder over untrusted originals, and it sits in ImageIO's registry in no fixed
 * order with TwelveMonkeys' pure-Java one, so which of the two decoded a WebP original would be chance. On the JVM
 * ImageIO registers it anyway from the services file (and again whenever scrimage rescans the class path), so
 * {@link #decodes} is what keeps it away from originals: WebP originals are decoded by TwelveMonkeys alone, on the JVM
 * as in the native executable.
 */
final class ImageIoPlugins {

    private static boolean registered;

    private ImageIoPlugins() {
    }

    /** Registers each plugin ImageIO does not already know; idempotent. */
    static synchronized void register() {
        if (registered) {
            return;
        }
        IIORegistry registry = IIORegistry.getDefaultInstance();
        for (IIOServiceProvider provider : providers()) {
            if (registry.getServiceProviderByClass(provider.getClass()) == null) {
                registry.registerServiceProvider(provider);
            }
        }
        registered = true;
    }

    /**
     * Whether originals may be decoded by this reader: every registered one but webp-imageio's (see above), told by
     * name, since the registry is the JVM's and may hold that provider from another class loader (Quarkus' test runs).
     */
    static boolean decodes(ImageReaderSpi provider) {
        return provider == null || !provider.getClass().getName().equals(com.luciad.imageio.webp.WebPImageReaderSpi.class.getName());
    }

    /** One instance of every provider, in the order of the jars' services files, but webp-imageio's reader. */
    static List<IIOServiceProvider> providers() {
        return List.of(new JPEGImageReaderSpi(), new JPEGImageWriterSpi(),
                new TIFFImageReaderSpi(), new BigTIFFImageReaderSpi(), new TIFFImageWriterSpi(), new BigTIFFImageWriterSpi(),
                new BMPImageReaderSpi(), new CURImageReaderSpi(), new ICOImageReaderSpi(), new BMPImageWriterSpi(), new ICOImageWriterSpi(),
                new WebPImageReaderSpi(), new WebPImageWriterSpi(),
                new BufferedFileImageInputStreamSpi(), new BufferedRAFImageInputStreamSpi(), new BufferedInputStreamImageInputStreamSpi());
    }
}
