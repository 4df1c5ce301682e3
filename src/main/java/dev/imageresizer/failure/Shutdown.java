package dev.imageresizer.failure;

/**
 * Whether the JVM is shutting down. Quarkus' {@code ShutdownEvent} comes from one shutdown hook among others that run
 * at the same time, some of which (ImageIO's stream closer, Kafka's) break what an event in flight is using; a failure
 * seen after the JVM began to shut down is therefore never a verdict on the event, even before that event fires.
 */
public final class Shutdown {

    private Shutdown() {
    }

    /** The JVM refuses new shutdown hooks once it is shutting down: the one reliable, race-free sign of it. */
    public static boolean inProgress() {
        Thread probe = new Thread(() -> {
        });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
