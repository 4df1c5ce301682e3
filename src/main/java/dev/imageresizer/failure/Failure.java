package dev.imageresizer.failure;

/**
 * Why an event could not be processed, and therefore what its sender should do with it. {@link Rejected}: the input is
 * bad and will stay bad; never retry, record it with its reason. {@link Transient}: something we depend on is unreachable;
 * retry later, never drop the event.
 */
public abstract sealed class Failure extends RuntimeException permits Failure.Rejected, Failure.Transient {

    private Failure(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /** Reason codes; each is a valid CloudEvents extension value suffix ({@code kne-reason}), so only [a-z0-9]. */
    public enum Reason {
        /** The event is not a bucket notification we can read. */
        BAD_EVENT("badevent"),
        /** The object is not an image of any kind we know. */
        NOT_AN_IMAGE("notanimage"),
        /** An image format we recognise but do not decode (WebP, HEIC, ...). */
        UNSUPPORTED("unsupported"),
        /** The image is damaged or its decoder failed on it. */
        CORRUPT("corrupt"),
        /** The object or its pixel count exceeds the configured limits. */
        TOO_LARGE("toolarge"),
        /** The object key cannot be turned into rendition keys safely (a {@code ..} segment, a control character, too long). */
        UNSAFE_KEY("badkey"),
        /** The CloudEvent's source is not in {@code resizer.http.allowed-sources}: answered 403, nothing recorded. */
        SOURCE_NOT_ALLOWED("forbidden");

        public final String code;

        Reason(String code) {
            this.code = code;
        }
    }

    public static Rejected rejected(Reason reason, String message) {
        return new Rejected(reason, message, null);
    }

    public static Rejected rejected(Reason reason, String message, Throwable cause) {
        return new Rejected(reason, message, cause);
    }

    public static Transient unavailable(String message, Throwable cause) {
        return new Transient(message, cause);
    }

    /** Bad or hostile input: answered 422 over HTTP (straight to the dead-letter sink), dead-lettered by the consumer. */
    public static final class Rejected extends Failure {
        private final Reason reason;

        private Rejected(Reason reason, String message, Throwable cause) {
            super(message, cause);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    /** Storage or Kafka unreachable: answered 500 over HTTP (retried by the KafkaSource), retried by the consumer. */
    public static final class Transient extends Failure {
        private Transient(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
