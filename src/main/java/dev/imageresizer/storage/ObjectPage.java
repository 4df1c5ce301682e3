package dev.imageresizer.storage;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a bucket's listing, in key order (UTF-8 byte order, as S3 sorts).
 *
 * @param objects the objects of this page, at most the page size asked for
 * @param next where the following page starts (the last key of this one, as S3's {@code start-after}), or empty after
 *        the last page; a full page always names a next one, which may then be empty
 */
public record ObjectPage(String bucket, List<ListedObject> objects, Optional<String> next) {

    public ObjectPage {
        Objects.requireNonNull(bucket, "bucket");
        objects = List.copyOf(objects);
        Objects.requireNonNull(next, "next");
    }
}
