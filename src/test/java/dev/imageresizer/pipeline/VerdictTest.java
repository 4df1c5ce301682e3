package dev.imageresizer.pipeline;

import dev.imageresizer.failure.Failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.UncheckedIOException;

import org.junit.jupiter.api.Test;

import dev.imageresizer.failure.Failure.Reason;

/** The one rule both entry points follow. */
class VerdictTest {

    @Test
    void aRejectionIsRefusedWithItsReasonWhereverItIsWrapped() {
        Failure.Rejected rejected = Failure.rejected(Reason.CORRUPT, "corrupt TIFF: the decoder failed (ArithmeticException: / by zero)");

        assertEquals(Verdict.Kind.REFUSED, Verdict.of(rejected, false).kind());
        Verdict wrapped = Verdict.of(new RuntimeException("funqy", new IllegalStateException(rejected)), false);
        assertEquals(Verdict.Kind.REFUSED, wrapped.kind());
        assertSame(rejected, wrapped.rejection());
        assertEquals(rejected.getMessage(), wrapped.message());
    }

    @Test
    void onlyTheObjectStoreAndKafkaAreRetried() {
        assertEquals(Verdict.Kind.RETRY, Verdict.of(Failure.unavailable("object store unreachable", null), false).kind());
    }

    @Test
    void anythingElseIsOurBugNotTheImagesVerdict() {
        Verdict verdict = Verdict.of(new NullPointerException("manifest"), false);

        assertEquals(Verdict.Kind.BUG, verdict.kind());
        assertEquals("manifest", verdict.message());
        assertEquals(Verdict.Kind.BUG, Verdict.of(new UncheckedIOException(new java.io.IOException()), false).kind());
    }

    @Test
    void whileStoppingNothingIsAVerdict() {
        assertEquals(Verdict.Kind.SHUTTING_DOWN, Verdict.of(Failure.rejected(Reason.CORRUPT, "closed stream"), true).kind());
        assertEquals(Verdict.Kind.SHUTTING_DOWN, Verdict.of(new IllegalStateException("interrupted"), true).kind());
    }
}
