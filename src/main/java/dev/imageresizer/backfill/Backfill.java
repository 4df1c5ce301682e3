package dev.imageresizer.backfill;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.event.ObjectEvent;
import dev.imageresizer.pipeline.EventResult;
import dev.imageresizer.failure.Failure;
import dev.imageresizer.pipeline.ResizePipeline;
import io.quarkus.arc.Unremovable;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;

/**
 * Resizes what is already in the source buckets: every object (under a prefix, if given) goes through the pipeline as
 * if its upload had just been notified, {@code concurrency} at a time. The pipeline keeps renditions already stored
 * for an object's ETag (one lookup), so only missing or stale ones (the original changed since) are made, and a rerun
 * after an interruption costs a lookup per object already done. With a checkpoint file it does not even list those: the
 * file holds the last key before which every object is done, and a rerun starts after it.
 */
// looked up by BackfillCommand only when asked for, so nothing injects it: kept explicitly
@Unremovable
@ApplicationScoped
public class Backfill {

    /** What to walk and how. */
    public record Request(String prefix, int concurrency, Optional<Path> checkpoint, Duration progressEvery) {
        public Request {
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
            }
        }
    }

    /** What a run did. {@code failed} objects (object store or Kafka unreachable) are left for the next run. */
    public record Summary(int total, int written, int unchanged, int ignored, int rejected, int failed, long millis) {
    }

    private final ResizePipeline pipeline;
    private final MinioClient minio;
    private final List<String> buckets;

    Backfill(ResizePipeline pipeline, MinioClient minio, ResizerConfig config) {
        this.pipeline = pipeline;
        this.minio = minio;
        this.buckets = config.source().buckets();
    }

    public Summary run(Request request, PrintStream out) throws InterruptedException {
        long started = System.nanoTime();
        String after = request.checkpoint().filter(Files::exists).map(Backfill::read).orElse("");
        List<ObjectEvent> objects = list(request.prefix(), after);
        if (!after.isEmpty()) {
            out.printf("backfill: resuming after %s (checkpoint %s)%n", after, request.checkpoint().get());
        }
        out.printf("backfill: %d objects in %s%s, %d at a time%n", objects.size(), String.join(", ", buckets),
                request.prefix().isEmpty() ? "" : " under " + request.prefix(), request.concurrency());

        AtomicInteger written = new AtomicInteger();
        AtomicInteger unchanged = new AtomicInteger();
        AtomicInteger ignored = new AtomicInteger();
        AtomicInteger rejected = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Watermark watermark = new Watermark(objects.size());
        ExecutorService workers = Executors.newFixedThreadPool(request.concurrency(), task -> {
            Thread thread = new Thread(task, "backfill");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (int i = 0; i < objects.size(); i++) {
                int index = i;
                ObjectEvent object = objects.get(i);
                workers.execute(() -> {
                    boolean done = true;
                    try {
                        EventResult result = pipeline.handle("backfill/" + (index + 1), object);
                        if (!result.ignored().isEmpty()) {
                            ignored.incrementAndGet();
                        } else if (result.stored().get(0).written() > 0) {
                            written.incrementAndGet();
                        } else {
                            unchanged.incrementAndGet();
                        }
                    } catch (Failure.Rejected e) {
                        rejected.incrementAndGet(); // logged and recorded on the failure topic by the pipeline
                    } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        done = false;
                        out.printf("backfill: %s/%s failed, left for the next run: %s%n", object.bucket(), object.key(), e.getMessage());
                    }
                    watermark.finished(index, done);
                });
            }
            workers.shutdown();
            while (!workers.awaitTermination(request.progressEvery().toMillis(), TimeUnit.MILLISECONDS)) {
                progress(out, watermark.count(), objects.size(), started);
                checkpoint(request, objects, watermark);
            }
        } finally {
            workers.shutdownNow();
        }
        checkpoint(request, objects, watermark);
        Summary summary = new Summary(objects.size(), written.get(), unchanged.get(), ignored.get(), rejected.get(), failed.get(),
                (System.nanoTime() - started) / 1_000_000);
        out.printf("backfill: done %d/%d in %.1f s: %d written, %d already current, %d ignored, %d rejected, %d failed%n",
                summary.total(), summary.total(), summary.millis() / 1000.0, summary.written(), summary.unchanged(), summary.ignored(),
                summary.rejected(), summary.failed());
        return summary;
    }

    private static void progress(PrintStream out, int done, int total, long started) {
        double seconds = (System.nanoTime() - started) / 1e9;
        double rate = done / Math.max(seconds, 1e-3);
        String eta = done == 0 ? "?" : String.format("%.0f s", (total - done) / rate);
        out.printf("backfill: %d/%d (%d%%), %.1f/s, ETA %s%n", done, total, total == 0 ? 100 : done * 100 / total, rate, eta);
    }

    /** Every object in the source buckets under {@code prefix}, in key order, after {@code after} ({@code bucket/key}). */
    private List<ObjectEvent> list(String prefix, String after) {
        List<ObjectEvent> objects = new ArrayList<>();
        // bucket names have no '/': the checkpoint is "<bucket>/<key>"
        String afterBucket = after.isEmpty() ? "" : after.substring(0, after.indexOf('/'));
        for (String bucket : buckets.stream().sorted().toList()) {
            if (bucket.compareTo(afterBucket) < 0) {
                continue; // a bucket finished in an earlier run
            }
            ListObjectsArgs.Builder args = ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true);
            if (bucket.equals(afterBucket)) {
                args.startAfter(after.substring(bucket.length() + 1));
            }
            for (Result<Item> result : minio.listObjects(args.build())) {
                Item item;
                try {
                    item = result.get();
                } catch (Exception e) {
                    throw new IllegalStateException("listing " + bucket + " failed: " + e.getMessage(), e);
                }
                if (!item.isDir()) {
                    String eTag = item.etag() == null ? null : item.etag().replace("\"", "");
                    objects.add(new ObjectEvent("ObjectCreated:Put", bucket, item.objectName(), eTag, item.size()));
                }
            }
        }
        return objects;
    }

    private static void checkpoint(Request request, List<ObjectEvent> objects, Watermark watermark) {
        int last = watermark.lastOfPrefixDone();
        if (request.checkpoint().isEmpty() || last < 0) {
            return;
        }
        ObjectEvent object = objects.get(last);
        Path file = request.checkpoint().get();
        try {
            Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), "checkpoint", ".tmp");
            Files.writeString(temporary, object.bucket() + "/" + object.key());
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

    /** Which objects are finished, and the longest run of them from the first, where a checkpoint may point. */
    static final class Watermark {
        private final boolean[] done;
        private int count;
        private int prefixDone = -1;
        private int firstFailed;

        Watermark(int size) {
            done = new boolean[size];
            firstFailed = size;
        }

        /** @param succeeded false for an object that failed and must be tried again: the checkpoint stays before it */
        synchronized void finished(int index, boolean succeeded) {
            count++;
            if (succeeded) {
                done[index] = true;
            } else {
                firstFailed = Math.min(firstFailed, index);
            }
            while (prefixDone + 1 < firstFailed && done[prefixDone + 1]) {
                prefixDone++;
            }
        }

        synchronized int count() {
            return count;
        }

        synchronized int lastOfPrefixDone() {
            return prefixDone;
        }
    }
}
