package dev.imageresizer.pipeline;

import dev.imageresizer.failure.Failure;
import dev.imageresizer.failure.Shutdown;

/**
 * What becomes of an event whose handling failed: the one rule both entry points follow (HTTP answers with a status,
 * the consumer acknowledges, dead-letters or retries). A failure caused by an object's bytes is a {@link Failure.Rejected}
 * by the time it leaves the pipeline, whatever exception the decoder threw (the imaging steps turn every one into a
 * verdict), so it is {@link Kind#REFUSED}: never retried. Only the object store and Kafka ({@link Failure.Transient})
 * and the application's own stopping are worth another try.
 *
 * @param failure the {@link Failure} found in the error's causes; null for {@link Kind#BUG}
 */
public record Verdict(Kind kind, Failure failure, Throwable error) {

    public enum Kind {
        /** The input is bad and stays bad: 422 with its reason over HTTP, dead-lettered by the consumer. */
        REFUSED,
        /** The object store or Kafka failed: 500 over HTTP (the KafkaSource retries), retried by the consumer. */
        RETRY,
        /** The application is stopping: 503 over HTTP, left unacknowledged by the consumer; never a verdict on the event. */
        SHUTTING_DOWN,
        /**
         * Our own code failed outside the imaging steps: 500 over HTTP (retried, then the KafkaSource's dead letter),
         * dead-lettered by the consumer (retrying in place would block its partition); logged as an error either way.
         */
        BUG
    }

    /**
     * @param stopping whether the entry point has seen the application begin to stop
     */
    public static Verdict of(Throwable error, boolean stopping) {
        Failure failure = find(error);
        if (stopping || Shutdown.inProgress()) {
            // a failure while the application stops may come from the stopping itself (interrupted workers, closed streams)
            return new Verdict(Kind.SHUTTING_DOWN, failure, error);
        }
        if (failure instanceof Failure.Rejected) {
            return new Verdict(Kind.REFUSED, failure, error);
        }
        if (failure instanceof Failure.Transient) {
            return new Verdict(Kind.RETRY, failure, error);
        }
        return new Verdict(Kind.BUG, null, error);
    }

    /** The rejection, for {@link Kind#REFUSED}. */
    public Failure.Rejected rejection() {
        return (Failure.Rejected) failure;
    }

    /** What went wrong, in one line. */
    public String message() {
        Throwable t = failure != null ? failure : error;
        return t.getMessage() != null ? t.getMessage() : t.getClass().getName();
    }

    private static Failure find(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof Failure failure) {
                return failure;
            }
        }
        return null;
    }
}
