package dev.imageresizer.pipeline;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.imageresizer.imaging.FocalPoint;

/**
 * The uploader's focal point, from the original's user metadata {@code focus-x} and {@code focus-y}
 * ({@code x-amz-meta-focus-x: 0.3}): decimal fractions of the upright image's width and height, 0 to 1. One axis alone
 * is taken with the other at the centre (0.5). Anything else (not a plain decimal, outside 0 to 1) is a problem to log,
 * not a reason to refuse the image: the renditions are then cut as the rendition's crop strategy says.
 */
record FocusMetadata(Optional<FocalPoint> point, Optional<String> problem) {

    static final String X = "focus-x";
    static final String Y = "focus-y";

    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?|\\.[0-9]+");
    private static final int SHOWN = 40;

    static final FocusMetadata NONE = new FocusMetadata(Optional.empty(), Optional.empty());

    /** @param metadata user metadata, names without {@code x-amz-meta-}, lower case */
    static FocusMetadata read(Map<String, String> metadata) {
        String x = metadata.get(X);
        String y = metadata.get(Y);
        if (x == null && y == null) {
            return NONE;
        }
        Optional<String> problem = problem(X, x).or(() -> problem(Y, y));
        if (problem.isPresent()) {
            return new FocusMetadata(Optional.empty(), problem);
        }
        return new FocusMetadata(Optional.of(new FocalPoint(value(x), value(y))), Optional.empty());
    }

    private static Optional<String> problem(String name, String value) {
        if (value == null) {
            return Optional.empty();
        }
        String trimmed = value.strip();
        if (!DECIMAL.matcher(trimmed).matches() || Double.parseDouble(trimmed) > 1) {
            String shown = trimmed.length() > SHOWN ? trimmed.substring(0, SHOWN) + "…" : trimmed;
            return Optional.of(name + " '" + shown.replaceAll("\\p{Cntrl}", "?") + "' is not a decimal from 0 to 1");
        }
        return Optional.empty();
    }

    private static double value(String value) {
        return value == null ? 0.5 : Double.parseDouble(value.strip());
    }
}
