package dev.imageresizer.event;

import java.util.regex.Pattern;

/**
 * An include or exclude entry: a key prefix, in which {@code *} stands for any part of one path segment and {@code **}
 * for any number of segments. {@code users/*}{@code /avatars/} matches {@code users/42/avatars/me.png};
 * {@code **}{@code /raw/} matches {@code raw/} folders at any depth; without a wildcard it is a plain prefix.
 */
public record KeyPattern(String entry, Pattern regex) {

    public static KeyPattern of(String entry) {
        StringBuilder regex = new StringBuilder("^");
        for (int i = 0; i < entry.length(); i++) {
            char c = entry.charAt(i);
            if (c == '*' && i + 1 < entry.length() && entry.charAt(i + 1) == '*') {
                // "**/" also matches no folder at all
                boolean slash = i + 2 < entry.length() && entry.charAt(i + 2) == '/';
                regex.append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return new KeyPattern(entry, Pattern.compile(regex.toString()));
    }

    /** Whether {@code key} starts with something this entry matches. */
    public boolean matches(String key) {
        return regex.matcher(key).lookingAt();
    }

    @Override
    public String toString() {
        return entry;
    }
}
