package dev.imageresizer.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.imageresizer.storage.ETag;
import dev.imageresizer.event.ObjectEvent;
import dev.imageresizer.failure.Failure.Reason;
import dev.imageresizer.support.InMemoryStorage;

/** failed-prefix: which refusals keep a copy of the original, and where. */
class RefusedOriginalsTest {

    private static final ObjectEvent UPLOAD = new ObjectEvent("ObjectCreated:Put", "images", "in/a b.jpg", new ETag("e1"), 5L);

    private final InMemoryStorage store = new InMemoryStorage();

    @Test
    void onlyRefusalsOfAnOriginalThatExistsKeepACopy() {
        store.upload("images", "in/a b.jpg", new byte[5], "image/jpeg");
        RefusedOriginals refused = new RefusedOriginals(store, "processed", Optional.of("failed/"), false);

        Map<Reason, Boolean> kept = Map.of(Reason.NOT_AN_IMAGE, true, Reason.CORRUPT, true, Reason.UNSUPPORTED, true, Reason.TOO_LARGE, true,
                Reason.BAD_EVENT, false, Reason.UNSAFE_KEY, false, Reason.SOURCE_NOT_ALLOWED, false);
        for (Reason reason : Reason.values()) {
            store.remove("processed", "failed/in/a b.jpg");
            refused.keep(UPLOAD, reason);
            assertEquals(kept.get(reason), store.exists("processed", "failed/in/a b.jpg"), reason.toString());
        }
    }

    @Test
    void theCopyCarriesTheReasonAndWhereItCameFrom() {
        store.upload("images", "in/a b.jpg", new byte[5], "image/jpeg", Map.of("owner", "alice"), Map.of());

        new RefusedOriginals(store, "processed", Optional.of("failed/"), true).keep(UPLOAD, Reason.CORRUPT);

        assertEquals(List.of("COPY images/in/a b.jpg processed/failed/images/in/a b.jpg"), store.requests(), "with several source buckets, by bucket");
        assertEquals(Map.of("resizer-rejection", "corrupt", "source-bucket", "images", "source-key", "in%2Fa+b.jpg"),
                store.get("processed", "failed/images/in/a b.jpg").orElseThrow().metadata());
    }

    @Test
    void withoutAPrefixOrAnOriginalNothingIsCopied() {
        new RefusedOriginals(store, "processed", Optional.empty(), false).keep(UPLOAD, Reason.CORRUPT);
        assertEquals(List.of(), store.requests());

        new RefusedOriginals(store, "processed", Optional.of("failed/"), false).keep(UPLOAD, Reason.CORRUPT);
        assertEquals(List.of(), store.keys("processed"), "gone already: nothing to keep, and no failure");
    }
}
