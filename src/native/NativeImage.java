import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

/**
 * The {@code native-image} command of the builder home that {@code layout.sh} lays out: what GraalVM's own driver
 * does for the builder (GraalVM's {@code svm} jars from Maven Central, run on a JDK 25), for the options Quarkus and
 * the application's jars pass. It
 * <ul>
 * <li>answers {@code --version} in GraalVM's format, which Quarkus parses;</li>
 * <li>turns driver options ({@code --features}, {@code --initialize-at-run-time}, ...) into the builder's
 * {@code -H:} options, {@code -J} options into the builder JVM's options, and refuses any option it does not know
 * rather than dropping it;</li>
 * <li>reads the jar's manifest (main class, class path, {@code Add-Opens}) and every class-path jar's
 * {@code META-INF/native-image}: {@code native-image.properties} ({@code Args}, {@code JavaArgs}) and the JSON
 * configuration files, less those {@code --exclude-config} names;</li>
 * <li>runs the builder ({@code NativeImageGeneratorRunner}) in a JVM of its own, linking with the stand-ins of the
 * JDK's static libraries described in {@code README.md}.</li>
 * </ul>
 * Run with the JDK's source launcher: {@code java NativeImage.java <native-image arguments>}.
 */
public class NativeImage {

    static final String GRAAL_VERSION = "25.0.2";
    static final String GRAAL_RELEASE_DATE = "2026-01-20";

    /** Driver option to builder option; {@code %s} is the option's value. */
    static final Map<String, String> WITH_VALUE = Map.ofEntries(
            Map.entry("--features", "-H:Features=%s"),
            Map.entry("--link-at-build-time", "-H:LinkAtBuildTime=%s"),
            Map.entry("--enable-url-protocols", "-H:EnableURLProtocols=%s"),
            Map.entry("--enable-monitoring", "-H:EnableMonitoringFeatures=%s"),
            Map.entry("--enable-native-access", "-H:EnableNativeAccess=%s"),
            Map.entry("--add-exports", "-H:AddExports=%s"),
            Map.entry("--add-opens", "-H:AddOpens=%s"),
            Map.entry("--add-reads", "-H:AddReads=%s"),
            Map.entry("-march", "-H:MicroArchitecture=%s"),
            Map.entry("--trace-class-initialization", "-H:TraceClassInitialization=%s"),
            Map.entry("--parallelism", "-H:NumberOfThreads=%s"),
            Map.entry("--native-compiler-options", "-H:CCompilerOption=%s"),
            Map.entry("--libc", "-H:UseLibC=%s"));

    /** Driver flags without a value. */
    static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("--no-fallback", "-H:FallbackThreshold=0"),
            Map.entry("--link-at-build-time", "-H:LinkAtBuildTime="),
            Map.entry("--enable-http", "-H:EnableURLProtocols=http"),
            Map.entry("--enable-https", "-H:EnableURLProtocols=https"),
            Map.entry("--enable-all-security-services", "-H:+EnableAllSecurityServices"),
            Map.entry("--report-unsupported-elements-at-runtime", "-H:+ReportUnsupportedElementsAtRuntime"),
            Map.entry("--allow-incomplete-classpath", "-H:+AllowIncompleteClasspath"),
            Map.entry("--install-exit-handlers", "-H:+InstallExitHandlers"),
            Map.entry("--native-image-info", "-H:+DumpTargetInfo"),
            Map.entry("-g", "-H:GenerateDebugInfo=2"),
            Map.entry("--static", "-H:+StaticExecutable"),
            Map.entry("--shared", "-H:+SharedLibrary"));

    /** The JSON configuration files of {@code META-INF/native-image} and the builder option that reads each. */
    static final Map<String, String> CONFIGURATION = Map.of(
            "reflect-config.json", "ReflectionConfigurationResources",
            "resource-config.json", "ResourceConfigurationResources",
            "jni-config.json", "JNIConfigurationResources",
            "proxy-config.json", "DynamicProxyConfigurationResources",
            "serialization-config.json", "SerializationConfigurationResources",
            "predefined-classes-config.json", "PredefinedClassesConfigurationResources",
            "reachability-metadata.json", "ReachabilityMetadataResources");

    record Exclusion(Pattern jar, Pattern resource) {
        boolean excludes(Path jarPath, String resource) {
            return jar.matcher(jarPath.toString()).find() && this.resource.matcher("/" + resource).find();
        }
    }

    /** What the command line and the jars ask for, in builder terms. */
    static final class Build {
        final List<String> jvmOptions = new ArrayList<>();
        final List<String> builderOptions = new ArrayList<>();
        final List<Path> classPath = new ArrayList<>();
        final List<Exclusion> exclusions = new ArrayList<>();
        Path jar;
        String mainClass;
        String imageName;

        /** Translates driver arguments; {@code origin} names where they come from, for errors. */
        void parse(List<String> args, String origin) {
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (arg.startsWith("@")) {
                    parse(argumentFile(Path.of(arg.substring(1))), arg);
                } else if (arg.startsWith("-J")) {
                    jvmOptions.add(arg.substring(2));
                } else if (arg.startsWith("-H:") || arg.startsWith("-R:")) {
                    builderOptions.add(arg);
                } else if (arg.equals("-jar")) {
                    jar = Path.of(args.get(++i));
                } else if (arg.equals("-cp") || arg.equals("-classpath") || arg.equals("--class-path")) {
                    for (String entry : args.get(++i).split(":")) {
                        classPath.add(Path.of(entry));
                    }
                } else if (arg.equals("-o")) {
                    imageName = args.get(++i);
                } else if (arg.equals("--exclude-config")) {
                    exclusions.add(new Exclusion(Pattern.compile(args.get(++i)), Pattern.compile(args.get(++i))));
                } else if (arg.matches("-O[0-3bs]")) {
                    builderOptions.add("-H:Optimize=" + arg.substring(2));
                } else if (arg.startsWith("--gc=")) {
                    builderOptions.add("-H:+Use" + switch (arg.substring(5)) {
                        case "serial" -> "SerialGC";
                        case "epsilon" -> "EpsilonGC";
                        default -> throw new IllegalArgumentException(origin + ": garbage collector " + arg.substring(5)
                                + " is not in GraalVM Community Edition");
                    });
                } else if (arg.startsWith("-")) {
                    builderOptions.add(translate(arg, origin));
                } else if (jar == null && mainClass == null && classPath.isEmpty()) {
                    imageName = arg;
                } else if (jar == null && mainClass == null) {
                    mainClass = arg;
                } else {
                    imageName = arg;
                }
            }
        }

        /** Reads the jar's manifest and the native-image configuration of every class-path jar. */
        void readJars() throws IOException {
            if (jar != null) {
                classPath.add(0, jar);
                try (JarFile file = new JarFile(jar.toFile())) {
                    Attributes manifest = file.getManifest().getMainAttributes();
                    mainClass = mainClass == null ? manifest.getValue("Main-Class") : mainClass;
                    String entries = manifest.getValue("Class-Path");
                    if (entries != null) {
                        for (String entry : entries.trim().split("\\s+")) {
                            classPath.add(jar.toAbsolutePath().getParent().resolve(entry));
                        }
                    }
                    for (String header : List.of("Add-Opens", "Add-Exports")) {
                        String value = manifest.getValue(header);
                        if (value != null) {
                            for (String target : value.trim().split("\\s+")) {
                                builderOptions.add("-H:" + header.replace("-", "") + "=" + target + "=ALL-UNNAMED");
                            }
                        }
                    }
                }
            }
            if (mainClass == null) {
                throw new IllegalArgumentException("no main class: give -jar with a Main-Class, or a main class");
            }
            if (imageName == null) {
                imageName = jar != null ? jar.getFileName().toString().replaceFirst("\\.jar$", "")
                        : mainClass.substring(mainClass.lastIndexOf('.') + 1).toLowerCase();
            }
            for (Path entry : List.copyOf(classPath)) {
                if (Files.isRegularFile(entry)) {
                    readConfiguration(entry);
                }
            }
        }

        private void readConfiguration(Path jarPath) throws IOException {
            try (JarFile file = new JarFile(jarPath.toFile())) {
                for (JarEntry entry : file.stream().toList()) {
                    String name = entry.getName();
                    if (!name.startsWith("META-INF/native-image/") || entry.isDirectory()) {
                        continue;
                    }
                    String fileName = name.substring(name.lastIndexOf('/') + 1);
                    if (exclusions.stream().anyMatch(e -> e.excludes(jarPath, name))) {
                        continue;
                    }
                    if (fileName.equals("native-image.properties")) {
                        Properties properties = new Properties();
                        try (InputStream in = file.getInputStream(entry)) {
                            properties.load(in);
                        }
                        String origin = jarPath.getFileName() + "!/" + name;
                        parse(split(properties.getProperty("Args", "")), origin);
                        jvmOptions.addAll(split(properties.getProperty("JavaArgs", "")));
                    } else if (CONFIGURATION.containsKey(fileName)) {
                        builderOptions.add("-H:" + CONFIGURATION.get(fileName) + "=" + name);
                    }
                }
            }
        }
    }

    static String translate(String arg, String origin) {
        int equals = arg.indexOf('=');
        String name = equals < 0 ? arg : arg.substring(0, equals);
        if (equals < 0 && FLAGS.containsKey(name)) {
            return FLAGS.get(name);
        }
        if (equals >= 0 && (name.equals("--initialize-at-run-time") || name.equals("--initialize-at-build-time"))) {
            // each class or package of the list gets its own suffix; an empty list means every class
            String when = name.endsWith("run-time") ? ":run_time" : ":build_time";
            String value = arg.substring(equals + 1);
            return "-H:ClassInitialization=" + (value.isEmpty() ? when
                    : String.join(",", java.util.Arrays.stream(value.split(",")).map(c -> c + when).toList()));
        }
        if (equals >= 0 && WITH_VALUE.containsKey(name)) {
            return String.format(WITH_VALUE.get(name), arg.substring(equals + 1));
        }
        throw new IllegalArgumentException(origin + ": the option " + arg + " is not one this native-image driver knows"
                + " (src/native/NativeImage.java); add its translation there rather than drop it");
    }

    static List<String> argumentFile(Path file) {
        try {
            return split(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Splits on white space, honouring quotes; a backslash stays as it is (Quarkus writes regular expressions such as
     * {@code io\.netty} unquoted, and {@code Properties} has already read the escapes of {@code native-image.properties}).
     */
    static List<String> split(String text) {
        List<String> result = new ArrayList<>();
        StringBuilder current = null;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    current.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                current = current == null ? new StringBuilder() : current;
            } else if (Character.isWhitespace(c)) {
                if (current != null) {
                    result.add(current.toString());
                    current = null;
                }
            } else {
                current = current == null ? new StringBuilder() : current;
                current.append(c);
            }
        }
        if (current != null) {
            result.add(current.toString());
        }
        return result;
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(System.getProperty("builder.home")).toAbsolutePath();
        Path jdk = home.resolve("jdk");
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-version"))) {
            // the three lines Quarkus parses (GraalVM.VersionParseHelper): the builder's version, the JDK that runs it
            // (its vendor version needs a '+build' suffix: GraalVM CE's own reads "GraalVM CE 25.0.2+10.1")
            String java = Runtime.version().toString();
            String vendor = "GraalVM CE " + GRAAL_VERSION + "+" + Runtime.version().build().orElse(1);
            System.out.println("native-image " + GRAAL_VERSION + " " + GRAAL_RELEASE_DATE);
            System.out.println("GraalVM Runtime Environment " + vendor + " (build " + java + ")");
            System.out.println("Substrate VM " + vendor + " (build " + java + ", serial gc)");
            return;
        }
        Build build = new Build();
        try {
            build.parse(List.of(args), "command line");
            build.readJars();
        } catch (IllegalArgumentException e) {
            System.err.println("native-image: " + e.getMessage());
            System.exit(2);
        }
        Path out = Path.of("").toAbsolutePath();
        Path tmp = Files.createTempDirectory(out, "native-image-tmp");
        Path jars = home.resolve("jars");
        Path runtimeJdk = Path.of(System.getProperty("runtime.jdk"));
        List<String> modulePath = new ArrayList<>();
        try (var stream = Files.list(jars)) {
            stream.map(Path::toString).filter(p -> p.endsWith(".jar")).sorted()
                    .filter(p -> !p.endsWith("/compiler-" + GRAAL_VERSION + ".jar")).forEach(modulePath::add);
        }

        List<String> command = new ArrayList<>(List.of(jdk.resolve("bin/java").toString(),
                "-Xss10m", "-Xmx" + System.getProperty("builder.xmx", "8g"), "-XX:+UseParallelGC",
                "-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI", "-XX:-UseJVMCICompiler",
                "-Dtruffle.TrustAllTruffleRuntimeProviders=true",
                "-Dtruffle.TruffleRuntime=com.oracle.truffle.api.impl.DefaultTruffleRuntime",
                "-Dgraalvm.ForcePolyglotInvalid=true", "-Dgraalvm.locatorDisabled=true", "-Dsubstratevm.HostLibC=glibc",
                "-Djava.awt.headless=true", "-Dorg.graalvm.vendor=GraalVM Community (Maven Central builder)",
                "-Dorg.graalvm.version=" + GRAAL_VERSION, "-Dorg.graalvm.vendorversion=GraalVM CE " + GRAAL_VERSION,
                "-Dcom.oracle.graalvm.isaot=true",
                "-Djava.system.class.loader=com.oracle.svm.hosted.NativeImageSystemClassLoader",
                "-Dorg.graalvm.nativeimage.imagecode=buildtime", "-Xshare:off",
                "-Djdk.internal.lambda.disableEagerInitialization=true", "-Djdk.internal.lambda.eagerlyInitialize=false",
                "-Djava.lang.invoke.InnerClassLambdaMetafactory.initializeLambdas=false",
                "-Djava.lang.invoke.MethodHandle.DONT_INLINE_THRESHOLD=-1",
                "-Djava.lang.invoke.MethodHandle.PROFILE_GWT=false",
                "@" + home.resolve("exports.args")));
        command.addAll(build.jvmOptions);
        command.addAll(List.of("--upgrade-module-path", jars.resolve("compiler-" + GRAAL_VERSION + ".jar").toString(),
                "--module-path", String.join(":", modulePath), "--add-modules=ALL-DEFAULT",
                "--enable-native-access=org.graalvm.nativeimage.builder,org.graalvm.nativeimage.pointsto,"
                        + "org.graalvm.nativeimage.base,jdk.graal.compiler,ALL-UNNAMED",
                "-m", "org.graalvm.nativeimage.builder/com.oracle.svm.hosted.NativeImageGeneratorRunner",
                "-imagecp", String.join(":", build.classPath.stream().map(p -> p.toAbsolutePath().toString()).toList()),
                "-H:Path=" + out, "-H:Name=" + build.imageName, "-H:Class=" + build.mainClass,
                "-H:ImageBuildID=" + UUID.randomUUID(), "-H:TempDirectory=" + tmp,
                "-H:CLibraryPath=" + home.resolve("clib/linux-amd64/glibc") + "," + home.resolve("stubs")));
        command.addAll(build.builderOptions);
        // the stand-in link (README.md): the JDK's shared libraries instead of the static ones no allowed source has
        Path lib = runtimeJdk.resolve("lib");
        for (String shared : List.of("java", "nio", "net", "zip", "extnet", "jaas", "management_ext")) {
            command.add("-H:NativeLinkerOption=" + lib.resolve("lib" + shared + ".so"));
        }
        command.add("-H:NativeLinkerOption=-Wl,--export-dynamic");
        command.add("-H:NativeLinkerOption=-Wl,--disable-new-dtags,-rpath," + lib + ":" + lib.resolve("server"));

        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("USE_NATIVE_IMAGE_JAVA_PLATFORM_MODULE_SYSTEM", "true");
        if (Boolean.getBoolean("builder.print-command")) {
            System.err.println(String.join(" \\\n  ", command));
        }
        int exit = builder.start().waitFor();
        try (var files = Files.walk(tmp)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        System.exit(exit);
    }
}
