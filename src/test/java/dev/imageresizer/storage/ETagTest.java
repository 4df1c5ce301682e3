package dev.imageresizer.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every spelling of an ETag the store, its notifications and a proxy write comes to one value. */
class ETagTest {

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            // as written                          | value
            "'\"9b2cf535f27731c974343645a3985328\"' | 9b2cf535f27731c974343645a3985328", // S3's ETag header and listings
            "9b2cf535f27731c974343645a3985328      | 9b2cf535f27731c974343645a3985328", // MinIO's notifications
            "'\"aaaabbbbccccddddeeeeffff00001111-9\"' | aaaabbbbccccddddeeeeffff00001111-9", // a multipart upload
            "'W/\"9b2cf535f27731c974343645a3985328\"' | 9b2cf535f27731c974343645a3985328", // weakened by a compressing proxy
            "'  \"abc\" '                           | abc",
            "'\"a\"b\"'                              | a\"b", // only one pair of surrounding quotes goes
    })
    void everySpellingIsOneValue(String raw, String value) {
        assertEquals(new ETag(value), ETag.of(raw));
        assertEquals(value, ETag.of(raw).value());
        assertEquals(value, ETag.of(raw).toString());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = { "", "  ", "\"\"", "W/\"\"" })
    void aMissingOrEmptyTagIsNone(String raw) {
        assertEquals(Optional.empty(), ETag.parse(raw));
        assertThrows(IllegalArgumentException.class, () -> ETag.of(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "\"abc\"", "\"abc", "abc\"" })
    void theValueIsNeverQuoted(String value) {
        assertThrows(IllegalArgumentException.class, () -> new ETag(value));
    }
}
