package dev.imageresizer.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriter;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.IIOServiceProvider;

import org.junit.jupiter.api.Test;

import dev.imageresizer.support.Images;

class ImageIoPluginsTest {

    private static final List<String> SERVICES = List.of("javax.imageio.spi.ImageReaderSpi", "javax.imageio.spi.ImageWriterSpi",
            "javax.imageio.spi.ImageInputStreamSpi", "javax.imageio.spi.ImageOutputStreamSpi", "javax.imageio.spi.ImageTranscoderSpi");

    @Test
    void registersEveryPluginTheClassPathDeclares() throws IOException {
        Set<String> declared = new TreeSet<>();
        for (String service : SERVICES) {
            for (URL file : Collections.list(getClass().getClassLoader().getResources("META-INF/services/" + service))) {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(file.openStream(), StandardCharsets.UTF_8))) {
                    lines.lines().map(l -> l.replaceAll("#.*", "").strip()).filter(l -> !l.isEmpty()).forEach(declared::add);
                }
            }
        }
        declared.remove("com.twelvemonkeys.imageio.color.ProfileDeferralActivator$Spi"); // not public: see ImageIoPlugins
        declared.remove("com.luciad.imageio.webp.WebPImageReaderSpi"); // left out on purpose: see ImageIoPlugins
        Set<String> registered = new TreeSet<>(ImageIoPlugins.providers().stream().map(p -> p.getClass().getName()).toList());
        assertEquals(declared, registered);
    }

    @Test
    void registeringAgainChangesNothing() {
        ImageIoPlugins.register();
        IIORegistry registry = IIORegistry.getDefaultInstance();
        for (IIOServiceProvider provider : ImageIoPlugins.providers()) {
            IIOServiceProvider before = registry.getServiceProviderByClass(provider.getClass());
            ImageIoPlugins.register();
            assertSame(before, registry.getServiceProviderByClass(provider.getClass()), provider.getClass().getName());
        }
    }

    @Test
    void webPOriginalsAreDecodedByTwelveMonkeysEvenWhereLibwebpsReaderComesFirst() {
        ImageIoPlugins.register();
        ImageIO.scanForPlugins(); // as scrimage does: webp-imageio's reader is back in the registry from its services file
        IIORegistry registry = IIORegistry.getDefaultInstance();
        ImageReaderSpi libwebp = registry.getServiceProviderByClass(com.luciad.imageio.webp.WebPImageReaderSpi.class);
        assertNotNull(libwebp, "the class path declares it");
        // ahead of every other WebP reader, TwelveMonkeys' included (in this JVM perhaps several, from Quarkus' class loaders)
        List<ImageReaderSpi> others = new ArrayList<>();
        registry.getServiceProviders(ImageReaderSpi.class, false).forEachRemaining(p -> {
            if (p != libwebp && List.of(p.getFormatNames()).stream().anyMatch("webp"::equalsIgnoreCase)) {
                others.add(p);
            }
        });
        others.forEach(other -> registry.setOrdering(ImageReaderSpi.class, libwebp, other));
        try {
            assertEquals("com.luciad.imageio.webp.WebPReader", ImageIO.getImageReadersByFormatName("webp").next().getClass().getName(),
                    "the registry now offers libwebp's reader first");

            ImageReader reader = ImageReaders.open(ImageFormat.WEBP, ImageData.of(Images.fixture("photos/two-wings.webp")));

            assertEquals("com.twelvemonkeys.imageio.plugins.webp.WebPImageReader", reader.getClass().getName());
            ImageReaders.close(reader);
        } finally {
            others.forEach(other -> registry.unsetOrdering(ImageReaderSpi.class, libwebp, other));
        }
    }

    @Test
    void webPRenditionsAreWrittenByLibwebp() {
        ImageIoPlugins.register();
        ImageWriter writer = ImageIO.getImageWritersByMIMEType("image/webp").next();
        assertEquals("com.luciad.imageio.webp.WebPWriter", writer.getClass().getName());
        writer.dispose();
    }

    @Test
    void twelveMonkeysReadsAheadOfTheJdk() {
        ImageIoPlugins.register();
        for (String format : List.of("jpeg", "tiff", "bmp")) {
            ImageReader first = ImageIO.getImageReadersByFormatName(format).next();
            assertEquals("com.twelvemonkeys", first.getClass().getName().substring(0, "com.twelvemonkeys".length()), format);
            first.dispose();
        }
    }
}
