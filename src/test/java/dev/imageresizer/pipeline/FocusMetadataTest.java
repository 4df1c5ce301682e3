package dev.imageresizer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.imageresizer.imaging.FocalPoint;

class FocusMetadataTest {

    @ParameterizedTest(name = "focus-x={0} focus-y={1} -> {2},{3}")
    @CsvSource(nullValues = "none", value = {
            "0.25,  0.75,   0.25, 0.75",
            "0,     1,      0.0,  1.0",
            "1.0,   0.000,  1.0,  0.0",
            ".5,    .1,     0.5,  0.1",
            "' 0.3 ', 0.4,  0.3,  0.4", // surrounding blanks are no problem
            "0.2,   none,   0.2,  0.5", // one axis alone: the other is centred
            "none,  0.9,    0.5,  0.9",
    })
    void aFocalPointIsTwoFractions(String x, String y, double expectedX, double expectedY) {
        FocusMetadata focus = FocusMetadata.read(metadata(x, y));

        assertEquals(Optional.of(new FocalPoint(expectedX, expectedY)), focus.point());
        assertEquals(Optional.empty(), focus.problem());
    }

    @ParameterizedTest(name = "focus-x={0} focus-y={1}: ignored")
    @CsvSource(nullValues = "none", value = {
            "1.5,    0.5,    focus-x",
            "0.5,    -0.1,   focus-y",
            "'0,5',  0.5,    focus-x",
            "half,   0.5,    focus-x",
            "0.5,    NaN,    focus-y",
            "1e-1,   0.5,    focus-x",
            "50%,    none,   focus-x",
            "'',     0.5,    focus-x",
    })
    void anythingElseIsAProblemToLogAndNoFocalPoint(String x, String y, String named) {
        FocusMetadata focus = FocusMetadata.read(metadata(x, y));

        assertEquals(Optional.empty(), focus.point());
        String shown = named.equals("focus-x") ? x : y;
        assertEquals(named + " '" + shown.strip() + "' is not a decimal from 0 to 1", focus.problem().orElseThrow());
    }

    @Test
    void noMetadataIsNoFocalPointAndNoProblem() {
        assertEquals(FocusMetadata.NONE, FocusMetadata.read(Map.of("owner", "alice")));
    }

    @Test
    void aLongValueIsShortenedInTheProblem() {
        FocusMetadata focus = FocusMetadata.read(Map.of("focus-x", "x".repeat(500)));

        assertTrue(focus.problem().orElseThrow().length() < 120, focus.problem().get());
    }

    private static Map<String, String> metadata(String x, String y) {
        Map<String, String> metadata = new HashMap<>();
        if (x != null) {
            metadata.put("focus-x", x);
        }
        if (y != null) {
            metadata.put("focus-y", y);
        }
        return metadata;
    }
}
