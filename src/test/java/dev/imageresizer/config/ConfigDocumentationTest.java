package dev.imageresizer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.smallrye.config.WithDefault;

/**
 * The configuration documentation cannot drift from {@link ResizerConfig}: every property of the mapping has Javadoc
 * that states its default, and the configuration page (docs/configuration.md) has one row per property, with the same default.
 */
class ConfigDocumentationTest {

    private static final Pattern ROW = Pattern.compile("^\\| (`[^|]*) \\| ([^|]*) \\|", Pattern.MULTILINE);
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /** A leaf property of the mapping: its name, the method declaring it, and its default if it has one. */
    record Property(String name, Method method, Optional<String> defaultValue) {
    }

    @Test
    void everyPropertyIsDocumentedInJavadocWithItsDefault() throws IOException {
        Map<String, String> javadoc = javadoc(Files.readString(Path.of("src/main/java/dev/imageresizer/config/ResizerConfig.java")));
        for (Property property : properties()) {
            String key = property.method().getDeclaringClass().getSimpleName() + "." + property.method().getName();
            String doc = javadoc.get(key);
            assertTrue(doc != null && !doc.isBlank(), property.name() + " (" + key + ") has no Javadoc");
            assertTrue(doc.toLowerCase().contains("default"), property.name() + ": the Javadoc does not state the default: " + doc);
            property.defaultValue().ifPresent(value -> assertTrue(doc.toLowerCase().contains(value.toLowerCase()),
                    property.name() + ": the Javadoc does not name the default " + value + ": " + doc));
        }
    }

    @Test
    void theConfigurationPageHasEveryPropertyWithItsDefault() throws IOException {
        Map<String, String> documented = rows(Files.readString(Path.of("docs/configuration.md")));
        List<String> missing = new ArrayList<>();
        for (Property property : properties()) {
            String row = documented.get(property.name());
            if (row == null) {
                missing.add(property.name());
                continue;
            }
            property.defaultValue().ifPresent(value -> assertTrue(row.toLowerCase().contains("`" + value.toLowerCase() + "`"),
                    property.name() + ": docs/configuration.md says the default is '" + row + "', the mapping " + value));
        }
        assertEquals(List.of(), missing, "properties missing from the configuration page (docs/configuration.md)");
        TreeSet<String> unknown = new TreeSet<>(documented.keySet());
        unknown.removeIf(name -> !name.startsWith("resizer."));
        properties().forEach(p -> unknown.remove(p.name()));
        assertEquals(new TreeSet<>(), unknown, "docs/configuration.md rows for resizer.* properties that do not exist");
    }

    /** Every leaf property of {@link ResizerConfig}, map keys written {@code <name>}. */
    static List<Property> properties() {
        List<Property> properties = new ArrayList<>();
        collect(ResizerConfig.class, "resizer", properties);
        return properties;
    }

    private static void collect(Class<?> group, String prefix, List<Property> properties) {
        for (Method method : group.getDeclaredMethods()) {
            if (method.getParameterCount() > 0 || method.isDefault() || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            String name = prefix + "." + kebab(method.getName());
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getEnclosingClass() == ResizerConfig.class) {
                collect(type, name, properties);
            } else if (Map.class.equals(type) && valueType(method.getGenericReturnType()) instanceof Class<?> value
                    && value.isInterface() && value.getEnclosingClass() == ResizerConfig.class) {
                collect(value, name + ".<name>", properties);
            } else {
                WithDefault defaultValue = method.getAnnotation(WithDefault.class);
                properties.add(new Property(name, method, Optional.ofNullable(defaultValue).map(WithDefault::value)));
            }
        }
    }

    private static Type valueType(Type map) {
        return map instanceof ParameterizedType parameterized ? parameterized.getActualTypeArguments()[1] : null;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    /** Javadoc by {@code Interface.method}, read from the source. */
    static Map<String, String> javadoc(String source) {
        Map<String, String> docs = new LinkedHashMap<>();
        Pattern declaration = Pattern.compile("/\\*\\*(.*?)\\*/\\s*(?:@\\w+(?:\\([^)]*\\))?\\s*)*[\\w<>, ]+?\\s(\\w+)\\(\\);", Pattern.DOTALL);
        Pattern type = Pattern.compile("interface (\\w+)");
        Matcher types = type.matcher(source);
        List<int[]> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (types.find()) {
            starts.add(new int[] { types.start() });
            names.add(types.group(1));
        }
        Matcher m = declaration.matcher(source);
        while (m.find()) {
            String owner = "ResizerConfig";
            for (int i = 0; i < starts.size(); i++) {
                if (starts.get(i)[0] < m.start()) {
                    owner = names.get(i);
                }
            }
            docs.put(owner + "." + m.group(2), m.group(1).replaceAll("\\s*\\*\\s*", " ").trim());
        }
        return docs;
    }

    /** The configuration page's table: each property named in a row's first cell (`.height` continues the one before), and the row's default cell. */
    static Map<String, String> rows(String section) {
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher row = ROW.matcher(section);
        while (row.find()) {
            Matcher code = CODE.matcher(row.group(1));
            String previous = null;
            while (code.find()) {
                String name = code.group(1);
                if (name.startsWith(".") && previous != null) {
                    name = previous.substring(0, previous.lastIndexOf('.')) + name;
                } else if (!name.contains(".") && previous != null) {
                    name = previous.substring(0, previous.lastIndexOf('.') + 1) + name;
                }
                rows.put(name, row.group(2).trim());
                previous = name;
            }
        }
        return rows;
    }
}
