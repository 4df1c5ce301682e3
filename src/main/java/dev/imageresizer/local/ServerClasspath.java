package dev.imageresizer.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The classpath of a local server, from its POM under {@code src/local/<server>/pom.xml}: resolved once from Maven
 * Central with the project's own Maven wrapper ({@code dependency:build-classpath}), then cached in
 * {@code target/local-servers/<server>.classpath}. Each server gets a classpath of its own and runs in a process of its
 * own, never inside the application or test JVM.
 */
public final class ServerClasspath {

    private ServerClasspath() {
    }

    public static String of(Path projectDir, String server) throws IOException, InterruptedException {
        Path pom = projectDir.resolve("src/local").resolve(server).resolve("pom.xml");
        if (!Files.isRegularFile(pom)) {
            throw new IOException("no server POM at " + pom);
        }
        Path cached = projectDir.resolve("target/local-servers").resolve(server + ".classpath");
        if (isCurrent(cached, pom)) {
            return Files.readString(cached).strip();
        }
        Files.createDirectories(cached.getParent());
        Path log = cached.resolveSibling(server + "-resolve.log");
        List<String> command = new ArrayList<>(maven(projectDir));
        command.addAll(List.of("-q", "-B", "-f", pom.toString(), "dependency:build-classpath",
                "-Dmdep.outputFile=" + cached, "-Dmdep.includeScope=runtime"));
        Process process = new ProcessBuilder(command).directory(projectDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0 || !Files.exists(cached)) {
            process.destroyForcibly();
            throw new IOException("resolving the " + server + " classpath failed (" + String.join(" ", command) + "):\n" + Files.readString(log));
        }
        return Files.readString(cached).strip();
    }

    private static boolean isCurrent(Path cached, Path pom) throws IOException {
        if (!Files.exists(cached) || Files.getLastModifiedTime(cached).compareTo(Files.getLastModifiedTime(pom)) < 0) {
            return false;
        }
        String classpath = Files.readString(cached).strip();
        return !classpath.isEmpty() && Arrays.stream(classpath.split(File.pathSeparator)).allMatch(jar -> Files.exists(Path.of(jar)));
    }

    private static List<String> maven(Path projectDir) {
        Path wrapper = projectDir.resolve("mvnw");
        if (Files.isExecutable(wrapper)) {
            return List.of(wrapper.toString());
        }
        String home = System.getProperty("maven.home");
        return List.of(home != null ? Path.of(home, "bin", "mvn").toString() : "mvn");
    }

    /** The project directory: the working directory or the nearest parent holding {@code src/local}. */
    public static Path projectDir() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("src/local"))) {
                return d;
            }
        }
        return dir;
    }
}
