package dev.imageresizer.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.imageresizer.local.LocalServer;
import dev.imageresizer.local.ServerClasspath;

/**
 * The packaged application run as its own process by an integration test, a benchmark or a fault scenario, its
 * output in a log file of its own. What runs is {@code target/quarkus-app/quarkus-run.jar} with the java of this
 * process, or whatever {@code -Dpackaged.app} names: a path ending in {@code .jar} runs with java, anything else (a
 * native executable, {@code target/*-runner}) runs itself. {@link Builder#command()} is the one place that knows.
 *
 * <pre>{@code
 * PackagedApp app = PackagedApp.builder(dir.resolve("app.log")).heap("512m").config(servers.appConfig()).start();
 * ...
 * app.stop(Duration.ofSeconds(30)); // SIGTERM, as Knative scaling down sends
 * }</pre>
 */
public final class PackagedApp {

    /** The packaged application: the fast-jar unless {@code -Dpackaged.app} names another artifact. */
    public static final Path ARTIFACT = ServerClasspath.projectDir().resolve(System.getProperty("packaged.app", "target/quarkus-app/quarkus-run.jar"));
    /** Whether the ITs run against the native executable ({@code -Dnative}), which loads no libraries through JNA. */
    public static final boolean NATIVE = !ARTIFACT.getFileName().toString().endsWith(".jar");
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Process process;
    private final int port;
    private final Path log;
    private final long startedAt;
    private final Duration readyPoll;
    private long readyAt;

    private PackagedApp(Process process, int port, Path log, long startedAt, Duration readyPoll) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.startedAt = startedAt;
        this.readyPoll = readyPoll;
    }

    /** @param log where the application's output (stdout and stderr) goes */
    public static Builder builder(Path log) {
        return new Builder(log);
    }

    /** How to run it; each option's default is stated on it. */
    public static final class Builder {
        private final Path log;
        private final Map<String, String> config = new LinkedHashMap<>();
        private boolean configInEnvironment;
        private int httpPort = -1;
        private String heap;
        private String java = JAVA;
        private final List<String> javaOptions = new ArrayList<>();
        private final List<String> commandPrefix = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private Path workingDirectory;
        private Path artifact = ARTIFACT;
        private Duration readyWithin = Duration.ofSeconds(60);
        private Duration readyPoll = Duration.ofMillis(50);

        private Builder(Path log) {
            this.log = log;
        }

        /** Configuration properties (e.g. {@link TestServers#appConfig()}), passed as {@code -Dkey=value} (default none). */
        public Builder config(Map<String, String> properties) {
            config.putAll(properties);
            return this;
        }

        /** One configuration property. */
        public Builder config(String key, String value) {
            config.put(key, value);
            return this;
        }

        /**
         * Passes the configuration, HTTP port included, as environment variables ({@code kafka.sasl.jaas.config} as
         * {@code KAFKA_SASL_JAAS_CONFIG}), as a Kubernetes Secret would; default: system properties.
         */
        public Builder configInEnvironment() {
            configInEnvironment = true;
            return this;
        }

        /** The HTTP port (default: a free one), e.g. the same again for a restart behind a fixed sink. */
        public Builder httpPort(int port) {
            this.httpPort = port;
            return this;
        }

        /** The maximum heap, as {@code -Xmx} takes it, e.g. {@code 512m} (default: the JVM's own choice). */
        public Builder heap(String heap) {
            this.heap = heap;
            return this;
        }

        /** What runs (default {@link #ARTIFACT}): a jar, or a native executable such as {@code target/*-runner}. */
        public Builder artifact(Path artifact) {
            this.artifact = artifact.toAbsolutePath();
            return this;
        }

        /** The java executable and options before {@code -jar} (default: this process's java, no options); JVM mode only. */
        public Builder java(String executable, List<String> options) {
            this.java = executable;
            this.javaOptions.addAll(options);
            return this;
        }

        /** More JVM options before {@code -jar}; JVM mode only. */
        public Builder javaOptions(List<String> options) {
            javaOptions.addAll(options);
            return this;
        }

        /** A command the application runs under, e.g. {@code taskset -c 1} (default none). */
        public Builder commandPrefix(List<String> prefix) {
            commandPrefix.addAll(prefix);
            return this;
        }

        /** Arguments for the application, e.g. {@code backfill --prefix x/} (default none: the service). */
        public Builder args(String... arguments) {
            args.addAll(List.of(arguments));
            return this;
        }

        /** The directory it runs in (default: this process's); the jar is then named relative to it. */
        public Builder workingDirectory(Path directory) {
            this.workingDirectory = directory.toAbsolutePath();
            return this;
        }

        /** How long {@link #start()} waits for readiness (default 60 s). */
        public Builder readyWithin(Duration timeout) {
            this.readyWithin = timeout;
            return this;
        }

        /** How often readiness is asked (default every 50 ms; a cold-start measurement asks more often). */
        public Builder readyPoll(Duration interval) {
            this.readyPoll = interval;
            return this;
        }

        /** Starts the application and waits until {@code /q/health/ready} answers 200; kills it if it is not ready in time. */
        public PackagedApp start() throws IOException, InterruptedException {
            PackagedApp app = launch();
            try {
                app.awaitReady(readyWithin);
            } catch (AssertionError | InterruptedException | RuntimeException e) {
                app.kill();
                throw e;
            }
            return app;
        }

        /** Starts the application without waiting for anything. */
        public PackagedApp launch() throws IOException {
            assertTrue(Files.exists(artifact), "no " + artifact + ": run with verify, so the application is packaged first");
            int port = httpPort > 0 ? httpPort : LocalServer.freePort();
            Map<String, String> settings = new LinkedHashMap<>(config);
            settings.put("quarkus.http.port", Integer.toString(port));
            ProcessBuilder builder = new ProcessBuilder(command(settings)).redirectErrorStream(true).redirectOutput(log.toFile());
            if (workingDirectory != null) {
                builder.directory(workingDirectory.toFile());
            }
            if (configInEnvironment) {
                settings.forEach((key, value) -> builder.environment().put(environmentName(key), value));
            }
            long startedAt = System.nanoTime();
            return new PackagedApp(builder.start(), port, log, startedAt, readyPoll);
        }

        /** The command line: the jar with java, or the native executable itself. */
        private List<String> command(Map<String, String> settings) {
            boolean jar = artifact.getFileName().toString().endsWith(".jar");
            if (!jar && (!javaOptions.isEmpty() || !JAVA.equals(java))) {
                throw new IllegalStateException(artifact + " is not a jar: java options do not apply");
            }
            List<String> command = new ArrayList<>(commandPrefix);
            if (jar) {
                command.add(java);
                command.addAll(javaOptions);
            } else {
                command.add(artifact.toString());
            }
            if (heap != null) {
                command.add("-Xmx" + heap); // a native executable takes it too
            }
            if (!configInEnvironment) {
                settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
            }
            if (jar) {
                command.add("-jar");
                command.add(workingDirectory == null ? artifact.toString() : workingDirectory.relativize(artifact).toString());
            }
            command.addAll(args);
            return command;
        }
    }

    /** A configuration property's name as an environment variable, by MicroProfile Config's rule. */
    static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    /**
     * Waits until {@code /q/health/ready} answers 200; fails with the application's log if it dies or takes longer
     * than {@code timeout}: a consumer joining a group that still counts a killed member is ready only once the broker
     * drops that member (its session timeout) and the group rebalances.
     */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
        while (true) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    readyAt = System.nanoTime();
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            assertTrue(process.isAlive(), () -> "the application died: " + logText());
            assertTrue(System.nanoTime() < deadline, () -> "not ready within " + timeout.toSeconds() + " s: " + logText());
            Thread.sleep(readyPoll.toMillis());
        }
    }

    /** Waits for the process to end by itself (a command such as {@code backfill}); false if it is still running. */
    public boolean waitFor(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops the application with SIGTERM, as Knative scaling down does, and waits up to {@code timeout} for it to
     * exit; kills it if it does not.
     *
     * @return whether it exited by itself within {@code timeout}
     */
    public boolean stop(Duration timeout) throws InterruptedException {
        process.destroy();
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        kill();
        return false;
    }

    /** Kills the application ({@code kill -9}): no shutdown hook runs, nothing is committed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int exitValue() {
        return process.exitValue();
    }

    public Path log() {
        return log;
    }

    /** The application's output so far. */
    public String logText() {
        return read(log);
    }

    /** {@link System#nanoTime()} just before the process started. */
    public long startedAt() {
        return startedAt;
    }

    /** {@link System#nanoTime()} when readiness was first seen (0 before). */
    public long readyAt() {
        return readyAt;
    }

    /** A log file's text, or why it cannot be read. */
    public static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
