package dev.imageresizer.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.imageresizer.failure.Failure;

class KeyEncodingTest {

    /** Values computed with Go's url.QueryEscape (research/minio-events.md §1.4). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "rose.jpg | rose.jpg",
            "deeper/path/rose.jpg | deeper%2Fpath%2Frose.jpg",
            "gallery/Été 2025/Café+Crème (1) ü.jpg | gallery%2F%C3%89t%C3%A9+2025%2FCaf%C3%A9%2BCr%C3%A8me+%281%29+%C3%BC.jpg",
            "a b+c.jpg | a+b%2Bc.jpg",
            "100%.jpg | 100%25.jpg",
            "x&y=z?.jpg | x%26y%3Dz%3F.jpg",
            "*star'quote!.jpg | %2Astar%27quote%21.jpg",
            "semi;colon,comma:at@$.jpg | semi%3Bcolon%2Ccomma%3Aat%40%24.jpg",
            "tilde~dash-under_score.jpg | tilde~dash-under_score.jpg",
    })
    void encodesAndDecodesLikeGo(String raw, String encoded) {
        assertEquals(encoded, KeyEncoding.encode(raw));
        assertEquals(raw, KeyEncoding.decode(encoded));
    }

    @ParameterizedTest
    @CsvSource({ "100%.jpg", "bad%zzescape.jpg", "trailing%2" })
    void rejectsKeysThatAreNotFormEncoded(String encoded) {
        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> KeyEncoding.decode(encoded));
        assertEquals(Failure.Reason.BAD_EVENT, rejected.reason());
    }

    @ParameterizedTest
    @CsvSource({ "bad-%FF.jpg", "lone-%C3.jpg", "overlong-%C0%AF.jpg", "surrogate-%ED%A0%80.jpg" })
    void rejectsKeysThatAreNotUtf8InsteadOfNamingAnotherObject(String encoded) {
        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> KeyEncoding.decode(encoded));
        assertEquals(Failure.Reason.BAD_EVENT, rejected.reason());
        assertTrue(rejected.getMessage().contains("UTF-8"), rejected.getMessage());
    }

    @ParameterizedTest
    @CsvSource({ "..%2Fup.jpg", "a%2F..%2F..%2Fescape.jpg", "a%2F.%2Fb.jpg", "..", "a%2F..", "nul%00.jpg", "line%0Abreak.jpg", "del%7F.jpg" })
    void rejectsKeysWhoseRenditionsCouldLeaveTheirFolder(String encoded) {
        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> KeyEncoding.decode(encoded));
        assertEquals(Failure.Reason.UNSAFE_KEY, rejected.reason());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = { "..dots.jpg | ..dots.jpg", "a%2F...%2Fb.jpg | a/.../b.jpg", "a%2F%2Fb.jpg | a//b.jpg", "tab%E2%80%8B.jpg | tab​.jpg" })
    void keepsKeysThatOnlyLookOdd(String encoded, String raw) {
        assertEquals(raw, KeyEncoding.decode(encoded));
    }

    @Test
    void aKeyThatIsNotEncodedIsQuotedPrintablyInTheRejection() {
        // JSON can carry a raw line break in the key: the message goes to the log and the failure record
        Failure.Rejected rejected = assertThrows(Failure.Rejected.class, () -> KeyEncoding.decode("100%\n2026-12-01 INFO forged.jpg"));
        assertEquals(Failure.Reason.BAD_EVENT, rejected.reason());
        assertTrue(rejected.getMessage().endsWith("100%\\u000A2026-12-01 INFO forged.jpg"), rejected.getMessage());
    }
}
