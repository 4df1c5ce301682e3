package dev.imageresizer.backfill;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.event.ObjectEvent;
import dev.imageresizer.failure.Failure;
import dev.imageresizer.pipeline.EventResult;
import dev.imageresizer.pipeline.ResizePipeline;
import dev.imageresizer.storage.ListedObject;
import dev.imageresizer.storage.ObjectPage;
import dev.imageresizer.storage.ObjectStore;
import io.quarkus.arc.Unremovable;

/**
 * Resizes what is already in the source buckets: every object (under a prefix, if given) goes through the pipeline as
 * if its upload had just been notified, {@code concurrency} at a time. The pipeline keeps renditions already stored
 * for an object's ETag (one lookup), so only missing or stale ones (the original changed since) are made, and a rerun
 * after an interruption costs a lookup per object already done.
 * <p>
 * A bucket is walked one page of its listing at a time, the next page listed while the workers process this one, so
 * memory holds at most two pages whatever the bucket's size. Once a page is done the checkpoint file, if given, names
 * its last key (or, when an object failed, the last key before it): a rerun starts listing after it.
 */
// looked up by BackfillCommand only when asked for, so nothing injects it: kept explicitly
@Unremovable
@ApplicationScoped
public class Backfill {

    /**
     * What to walk and how.
     *
     * @param pageSize objects per listing request and per checkpoint, 1 to {@link ObjectStore#MAX_PAGE_SIZE}
     */
    public record Request(String prefix, int concurrency, Optional<Path> checkpoint, int pageSize, Duration progressEvery) {
        public Request {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
            }
            if (pageSize < 1 || pageSize > ObjectStore.MAX_PAGE_SIZE) {
                throw new IllegalArgumentException("page size must be 1 to " + ObjectStore.MAX_PAGE_SIZE + ", not " + pageSize);
            }
        }

        public Request(String prefix, int concurrency, Optional<Path> checkpoint, Duration progressEvery) {
            this(prefix, concurrency, checkpoint, ObjectStore.MAX_PAGE_SIZE, progressEvery);
        }
    }

    /** What a run did. {@code failed} objects (object store or Kafka unreachable) are left for the next run. */
    public record Summary(long total, long written, long unchanged, long ignored, long rejected, long failed, long pages, long millis) {
    }

    private final ResizePipeline pipeline;
    private final ObjectStore store;
    private final List<String> buckets;

    Backfill(ResizePipeline pipeline, ObjectStore store, ResizerConfig config) {
        this.pipeline = pipeline;
        this.store = store;
        this.buckets = config.source().buckets().stream().sorted().toList();
    }

    /**
     * @throws Failure.Transient when a listing fails (the checkpoint names the last page done: run it again)
     */
    public Summary run(Request request, PrintStream out) throws InterruptedException {
        Walk walk = new Walk(request, out);
        String after = request.checkpoint().filter(Files::exists).map(Backfill::read).orElse("");
        if (!after.isEmpty()) {
            out.printf("backfill: resuming after %s (checkpoint %s)%n", after, request.checkpoint().get());
        }
        out.printf("backfill: walking %s%s, %d at a time, pages of %d%n", String.join(", ", buckets),
                request.prefix().isEmpty() ? "" : " under " + request.prefix(), request.concurrency(), request.pageSize());
        // bucket names have no '/': the checkpoint is "<bucket>/<key>"
        String afterBucket = after.isEmpty() ? "" : after.substring(0, after.indexOf('/'));
        ExecutorService workers = Executors.newFixedThreadPool(request.concurrency(), task -> {
            Thread thread = new Thread(task, "backfill");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (String bucket : buckets) {
                if (bucket.compareTo(afterBucket) < 0) {
                    continue; // a bucket finished in an earlier run
                }
                Optional<String> start = bucket.equals(afterBucket) ? Optional.of(after.substring(bucket.length() + 1)) : Optional.empty();
                ObjectPage page = store.list(bucket, request.prefix(), start, request.pageSize());
                while (true) {
                    Batch batch = walk.start(page, workers);
                    // the next page is listed while the workers are on this one
                    Optional<ObjectPage> next;
                    try {
                        next = page.next().map(key -> store.list(bucket, request.prefix(), Optional.of(key), request.pageSize()));
                    } catch (Failure.Transient e) {
                        walk.finish(batch); // this page still counts, and moves the checkpoint
                        throw e;
                    }
                    walk.finish(batch);
                    if (next.isEmpty()) {
                        break;
                    }
                    page = next.get();
                }
            }
        } finally {
            workers.shutdownNow();
        }
        Summary summary = walk.summary();
        out.printf("backfill: done, %d objects (%d page(s)) in %.1f s: %d written, %d already current, %d ignored, %d rejected, %d failed%n",
                summary.total(), summary.pages(), summary.millis() / 1000.0, summary.written(), summary.unchanged(), summary.ignored(),
                summary.rejected(), summary.failed());
        return summary;
    }

    /** One page under way: how many of its objects are left, and the first (in key order) that failed. */
    private record Batch(ObjectPage page, CountDownLatch left, AtomicInteger firstFailed) {
    }

    /** The counts of a run, and where its checkpoint stands. */
    private final class Walk {
        private final Request request;
        private final PrintStream out;
        private final long started = System.nanoTime();
        private final AtomicLong done = new AtomicLong();
        private final AtomicLong written = new AtomicLong();
        private final AtomicLong unchanged = new AtomicLong();
        private final AtomicLong ignored = new AtomicLong();
        private final AtomicLong rejected = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private long pages;
        private long submitted;
        private long lastProgress = started;
        /** Once an object has failed, the checkpoint stays before it for the rest of the run. */
        private boolean checkpointHeld;

        Walk(Request request, PrintStream out) {
            this.request = request;
            this.out = out;
        }

        Batch start(ObjectPage page, ExecutorService workers) {
            List<ListedObject> objects = page.objects();
            Batch batch = new Batch(page, new CountDownLatch(objects.size()), new AtomicInteger(objects.size()));
            for (int i = 0; i < objects.size(); i++) {
                int index = i;
                ListedObject object = objects.get(i);
                String eventId = "backfill/" + ++submitted;
                workers.execute(() -> {
                    try {
                        process(eventId, new ObjectEvent("ObjectCreated:Put", page.bucket(), object.key(), object.eTag(), object.size()));
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        batch.firstFailed().accumulateAndGet(index, Math::min);
                        out.printf("backfill: %s/%s failed, left for the next run: %s%n", page.bucket(), object.key(), e.getMessage());
                    } finally {
                        done.incrementAndGet();
                        batch.left().countDown();
                    }
                });
            }
            pages++;
            return batch;
        }

        private void process(String eventId, ObjectEvent event) {
            try {
                EventResult result = pipeline.handle(eventId, event);
                if (!result.ignored().isEmpty()) {
                    ignored.incrementAndGet();
                } else if (result.stored().get(0).written() > 0) {
                    written.incrementAndGet();
                } else {
                    unchanged.incrementAndGet();
                }
            } catch (Failure.Rejected e) {
                rejected.incrementAndGet(); // logged and recorded on the failure topic by the pipeline
            }
        }

        /** Waits for every object of the page, then moves the checkpoint to its last key, or before its first failure. */
        void finish(Batch batch) throws InterruptedException {
            long every = request.progressEvery().toNanos();
            while (!batch.left().await(lastProgress + every - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                progress();
            }
            List<ListedObject> objects = batch.page().objects();
            int firstFailed = batch.firstFailed().get();
            if (!checkpointHeld && firstFailed > 0 && request.checkpoint().isPresent()) {
                String last = batch.page().bucket() + "/" + objects.get(firstFailed - 1).key();
                checkpoint(request.checkpoint().get(), last);
                out.printf("backfill: %d done, checkpoint %s%n", done.get(), last);
            }
            checkpointHeld |= firstFailed < objects.size();
            if (System.nanoTime() - lastProgress >= every) {
                progress();
            }
        }

        /** Every {@code progressEvery}, whether pages take longer or are many in that time. */
        private void progress() {
            lastProgress = System.nanoTime();
            long count = done.get();
            double seconds = (lastProgress - started) / 1e9;
            out.printf("backfill: %d done, %.1f/s, page %d%n", count, count / Math.max(seconds, 1e-3), pages);
        }

        Summary summary() {
            return new Summary(done.get(), written.get(), unchanged.get(), ignored.get(), rejected.get(), failed.get(), pages,
                    (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** Replaces the checkpoint file in one step: a run stopped at any moment leaves the old one or the new one. */
    private static void checkpoint(Path file, String last) {
        try {
            Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), "checkpoint", ".tmp");
            Files.writeString(temporary, last);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the checkpoint " + file + " failed", e);
        }
    }

    private static String read(Path checkpoint) {
        try {
            return Files.readString(checkpoint).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the checkpoint " + checkpoint + " failed", e);
        }
    }
}
