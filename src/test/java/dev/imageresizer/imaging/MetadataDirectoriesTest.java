package dev.imageresizer.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.junit.jupiter.api.Test;

import com.drew.metadata.Directory;

import io.quarkus.runtime.annotations.RegisterForReflection;

class MetadataDirectoriesTest {

    @Test
    void registersEveryDirectoryMetadataExtractorCanCreateReflectively() throws IOException, URISyntaxException {
        Set<String> registered = new TreeSet<>(Set.of(MetadataDirectories.class.getAnnotation(RegisterForReflection.class).classNames()));
        assertEquals(constructibleDirectories(), registered);
    }

    /** Every concrete {@link Directory} with a public no-argument constructor in the metadata-extractor jar. */
    private static Set<String> constructibleDirectories() throws IOException, URISyntaxException {
        Path jar = Path.of(Directory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> found = new TreeSet<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : file.stream().toList()) {
                String name = entry.getName();
                if (!name.endsWith(".class") || name.startsWith("META-INF/")) {
                    continue;
                }
                String className = name.substring(0, name.length() - ".class".length()).replace('/', '.');
                if (constructibleDirectory(className)) {
                    found.add(className);
                }
            }
        }
        assertFalse(found.isEmpty(), "no directory found in " + jar);
        return found;
    }

    private static boolean constructibleDirectory(String className) {
        try {
            Class<?> type = Class.forName(className, false, Directory.class.getClassLoader());
            if (!Directory.class.isAssignableFrom(type) || Modifier.isAbstract(type.getModifiers())) {
                return false;
            }
            type.getConstructor();
            return true;
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }
}
