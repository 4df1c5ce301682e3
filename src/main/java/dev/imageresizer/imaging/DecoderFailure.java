package dev.imageresizer.imaging;

import java.io.IOException;
import java.util.Locale;

import dev.imageresizer.failure.Failure;
import dev.imageresizer.failure.Failure.Reason;

/**
 * The verdict on an image whose decoder (or encoder) threw: the image's bytes caused it, so it is permanent. The reason
 * is {@link Reason#UNSUPPORTED} when the decoder says it lacks a feature the file uses (12-bit JPEG, a BMP compression),
 * {@link Reason#CORRUPT} otherwise.
 */
final class DecoderFailure {

    private DecoderFailure() {
    }

    /**
     * @param what the format, e.g. {@code TIFF}, or {@code image} before it is known
     * @param where what was being read when it failed, e.g. {@code unreadable header}; null for the pixels
     */
    static Failure.Rejected of(String what, String where, Throwable e) {
        String detail = describe(e);
        String lower = detail.toLowerCase(Locale.ROOT);
        boolean unsupported = e instanceof UnsupportedOperationException || lower.contains("unsupported") || lower.contains("not supported");
        String message = (unsupported ? "unsupported " : "corrupt ") + what + ": " + (where == null ? detail : where + " (" + detail + ")");
        return Failure.rejected(unsupported ? Reason.UNSUPPORTED : Reason.CORRUPT, message, e);
    }

    /** An I/O error's message says what is wrong; any other exception is a decoder's failure, named by its kind. */
    static String describe(Throwable e) {
        if (e instanceof IOException && e.getMessage() != null) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
