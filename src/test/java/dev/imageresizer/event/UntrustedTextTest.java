package dev.imageresizer.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UntrustedTextTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "partition:0/offset:42 | partition:0/offset:42",
            "/apis/v1/namespaces/media/kafkasources/minio#minio-events | /apis/v1/namespaces/media/kafkasources/minio#minio-events",
            "gallery/Été 2025/Café.jpg | gallery/Été 2025/Café.jpg",
    })
    void ordinaryTextStaysAsItIs(String text, String printed) {
        assertEquals(printed, UntrustedText.printable(text));
    }

    @Test
    void lineBreaksControlAndFormatCharactersAreEscaped() {
        assertEquals("a\\u000D\\u000Ab", UntrustedText.printable("a\r\nb"));
        assertEquals("\\u001B[2Jclear", UntrustedText.printable("\u001b[2Jclear"));
        assertEquals("x\\u0000y\\u007Fz", UntrustedText.printable("x\0y\u007fz"));
        assertEquals("next\\u0085line\\u2028sep\\u2029par", UntrustedText.printable("next\u0085line\u2028sep\u2029par"));
        assertEquals("\\u202Egnp.exe", UntrustedText.printable("\u202egnp.exe"));
        assertEquals("tab\\u0009", UntrustedText.printable("tab\t"));
    }

    @Test
    void longTextIsCutAndSaysHowLongItWas() {
        String printed = UntrustedText.printable("a".repeat(10_000));
        assertTrue(printed.startsWith("a".repeat(UntrustedText.MAX_LENGTH) + "... (10000 chars)"), printed);
        assertEquals(UntrustedText.MAX_LENGTH + "... (10000 chars)".length(), printed.length());
    }

    @Test
    void nullIsPrinted() {
        assertEquals("null", UntrustedText.printable(null));
    }
}
