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

/** The packaged application run as its own process by a benchmark or a fault scenario. */
public final class PackagedApp {

    private PackagedApp() {
    }

    /** Waits until {@code /q/health/ready} answers 200; fails with the application's log if it dies or takes over 60 s. */
    public static void awaitReady(HttpClient http, int port, Process process, Path log) throws InterruptedException {
        awaitReady(http, port, process, log, Duration.ofSeconds(60));
    }

    /**
     * As above, waiting up to {@code timeout}: a consumer joining a group that still counts a killed member is ready
     * only once the broker drops that member (its session timeout) and the group rebalances.
     */
    public static void awaitReady(HttpClient http, int port, Process process, Path log, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            assertTrue(process.isAlive(), () -> "the application died: " + read(log));
            assertTrue(System.nanoTime() < deadline, () -> "not ready within " + timeout.toSeconds() + " s: " + read(log));
            Thread.sleep(50);
        }
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
