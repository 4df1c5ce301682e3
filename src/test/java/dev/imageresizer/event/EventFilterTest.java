package dev.imageresizer.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.imageresizer.storage.ETag;

class EventFilterTest {

    private final EventFilter filter = new EventFilter(Set.of("images", "uploads"), List.of(), List.of("tmp/"), "processed", "");
    private final EventFilter sameBucket = new EventFilter(Set.of("media"), List.of("originals/"), List.of(), "media", "renditions/");

    @ParameterizedTest(name = "{0} {1}/{2} -> {3}")
    @CsvSource(delimiter = '|', value = {
            // event                                  | bucket    | key                 | acts  | reason contains
            "ObjectCreated:Put                        | images    | a.jpg               | true  | new object content",
            "ObjectCreated:Post                       | images    | a.jpg               | true  | new object content",
            "ObjectCreated:Copy                       | images    | a.jpg               | true  | new object content",
            "ObjectCreated:CompleteMultipartUpload    | uploads   | deep/er/a.jpg       | true  | new object content",
            "ObjectCreated:PutTagging                 | images    | a.jpg               | false | brings no new object content",
            "ObjectCreated:DeleteTagging              | images    | a.jpg               | false | brings no new object content",
            "ObjectCreated:PutRetention               | images    | a.jpg               | false | brings no new object content",
            "ObjectCreated:PutLegalHold               | images    | a.jpg               | false | brings no new object content",
            "ObjectRemoved:Delete                     | images    | a.jpg               | false | brings no new object content",
            "ObjectRemoved:DeleteMarkerCreated        | images    | a.jpg               | false | brings no new object content",
            "ObjectAccessed:Get                       | images    | a.jpg               | false | brings no new object content",
            "ObjectAccessed:Head                      | images    | a.jpg               | false | brings no new object content",
            "ObjectReplication:Complete               | images    | a.jpg               | false | brings no new object content",
            "ObjectTransition:Complete                | images    | a.jpg               | false | brings no new object content",
            "Scanner:ManyVersions                     | images    | a.jpg               | false | brings no new object content",
            "ObjectCreated:Put                        | processed | thumb/a.jpg         | false | loop guard",
            "ObjectCreated:Put                        | photos    | a.jpg               | false | not a source bucket",
            "ObjectCreated:Put                        | images    | folder/             | false | folder marker",
            "ObjectCreated:Put                        | images    | ''                  | false | folder marker",
            "ObjectCreated:Put                        | images    | tmp/upload.jpg      | false | exclude prefix",
            "ObjectCreated:Put                        | images    | tmpfile.jpg         | true  | new object content",
    })
    void decisionTable(String eventName, String bucket, String key, boolean acts, String reason) {
        assertDecision(filter, new ObjectEvent(eventName, bucket, key, ETag.of("etag"), 1L), acts, reason);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "originals/a.jpg        | true  | new object content",
            "renditions/thumb/a.jpg | false | loop guard",
            "elsewhere/a.jpg        | false | include prefix",
    })
    void sourceAndDestinationInOneBucket(String key, boolean acts, String reason) {
        assertDecision(sameBucket, new ObjectEvent("ObjectCreated:Put", "media", key, ETag.of("etag"), 1L), acts, reason);
    }

    private final EventFilter wildcards = new EventFilter(Set.of("images"), List.of("users/*/avatars/", "**/public/", "shop/*.png"),
            List.of("**/tmp/", "users/*/avatars/draft-"), "processed", "");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "users/42/avatars/me.png          | true  | new object content",
            "users/42/avatars/draft-me.png    | false | exclude prefix",
            "users/42/x/avatars/me.png        | false | include prefix",
            "users/avatars/me.png             | false | include prefix",
            "public/a.jpg                     | true  | new object content",
            "a/b/c/public/a.jpg               | true  | new object content",
            "a/b/c/public/tmp/a.jpg           | false | exclude prefix",
            "publicity/a.jpg                  | false | include prefix",
            "shop/item.png                    | true  | new object content",
            "shop/item.jpg                    | false | include prefix",
            "shop/sub/item.png                | false | include prefix",
    })
    void wildcardsMatchWithinOrAcrossSegments(String key, boolean acts, String reason) {
        assertDecision(wildcards, new ObjectEvent("ObjectCreated:Put", "images", key, ETag.of("etag"), 1L), acts, reason);
    }

    private static void assertDecision(EventFilter filter, ObjectEvent event, boolean acts, String reason) {
        EventFilter.Decision decision = filter.decide(event);

        assertEquals(acts, decision.acts(), decision.reason());
        assertTrue(decision.reason().contains(reason), decision.reason());
    }

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "a.b/         | a.b/x.jpg   | true",
            "a.b/         | aXb/x.jpg   | false",
            "(x)[y]+/     | (x)[y]+/z   | true",
            "*             | anything    | true",
    })
    void everythingButTheWildcardsIsLiteral(String entry, String key, boolean matches) {
        assertEquals(matches, KeyPattern.of(entry).matches(key));
    }
}
