package dev.imageresizer.support;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.imageresizer.imaging.Heif;

/**
 * Tests that need libheif: skipped, each with a line saying so, where it is not installed, unless
 * {@code -Dheif.required=true} (as .ci/run sets after installing {@code libheif1}) makes its absence a failure.
 */
public final class Libheif {

    private Libheif() {
    }

    /** libheif as the application finds it by default, or the test is skipped (or fails, when required). */
    public static Heif require(String test) {
        Heif.Probe probe = Heif.probe();
        String missing = "libheif is not installed (" + Heif.INSTALL + "): " + probe.description();
        if (Boolean.getBoolean("heif.required")) {
            assertTrue(probe.codec().isPresent(), missing + "; -Dheif.required=true (as .ci/run sets) makes it mandatory");
        }
        if (probe.codec().isEmpty()) {
            System.err.println(test + " skipped: " + missing + "; -Dheif.required=true makes it fail instead");
        }
        assumeTrue(probe.codec().isPresent(), missing + "; skipped");
        return probe.codec().get();
    }
}
