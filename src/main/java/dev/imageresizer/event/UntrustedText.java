package dev.imageresizer.event;

/**
 * Text from a sender (a CloudEvent's id or source, a key that failed to decode) made safe to put in a log line or an
 * error message: control, format and line-separator characters become {@code \\uXXXX}, so a crafted value cannot
 * forge a log line or reorder one on screen (bidirectional overrides), and very long values are cut.
 */
public final class UntrustedText {

    /** Longer values are cut: a log line names an event, it does not reproduce it. */
    static final int MAX_LENGTH = 256;

    private UntrustedText() {
    }

    public static String printable(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = null;
        int end = Math.min(text.length(), MAX_LENGTH);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (unsafe(c)) {
                if (out == null) {
                    out = new StringBuilder(end + 16).append(text, 0, i);
                }
                out.append(String.format("\\u%04X", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        String printable = out == null ? text.substring(0, end) : out.toString();
        return end < text.length() ? printable + "... (" + text.length() + " chars)" : printable;
    }

    private static boolean unsafe(char c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }
}
