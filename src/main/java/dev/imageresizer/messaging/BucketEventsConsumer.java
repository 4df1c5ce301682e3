package dev.imageresizer.messaging;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import dev.imageresizer.pipeline.ConfigCheck;
import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.pipeline.ResizePipeline;
import dev.imageresizer.pipeline.Verdict;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;

/**
 * The direct entry point: MinIO's records straight from the topic (channel {@code bucket-events}), for local
 * development and deployments without Knative. A record is acknowledged, and its offset becomes committable, only once
 * its renditions are stored. A rejected record is nacked, which the {@code dead-letter-queue} failure strategy turns
 * into a copy on the dead-letter topic with the reason in its {@code dead-letter-reason} header. A transient failure is
 * retried with exponential backoff until it succeeds (holding that worker, so a broken object store slows intake down
 * instead of piling records up); on shutdown the record is left unacknowledged, so it is
 * redelivered.
 */
@ApplicationScoped
public class BucketEventsConsumer {

    private final ResizePipeline pipeline;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Semaphore workers;
    private volatile boolean stopping;

    BucketEventsConsumer(ResizePipeline pipeline, ResizerConfig config) {
        this.pipeline = pipeline;
        this.workers = new Semaphore(ConfigCheck.workers(config));
        this.initialBackoff = config.consumer().retryInitialBackoff();
        this.maxBackoff = config.consumer().retryMaxBackoff();
    }

    /**
     * Runs on the {@code resize-workers} pool, out of order, {@code resizer.consumer.workers} records at a time; the
     * connector commits an offset once every record before it is acknowledged.
     */
    @Incoming("bucket-events")
    @Blocking(value = "resize-workers", ordered = false)
    public CompletionStage<Void> consume(IncomingKafkaRecord<String, byte[]> record) throws InterruptedException {
        workers.acquire();
        try {
            return handle(record);
        } finally {
            workers.release();
        }
    }

    private CompletionStage<Void> handle(IncomingKafkaRecord<String, byte[]> record) {
        String eventId = record.getTopic() + "/partition:" + record.getPartition() + "/offset:" + record.getOffset();
        Duration backoff = initialBackoff;
        while (true) {
            try {
                pipeline.handle(eventId, record.getPayload());
                return record.ack();
            } catch (RuntimeException e) {
                Verdict verdict = Verdict.of(e, stopping);
                switch (verdict.kind()) {
                    case SHUTTING_DOWN -> {
                        Log.infof("%s left unacknowledged for redelivery: shutting down (%s)", eventId, verdict.message());
                        return new CompletableFuture<>();
                    }
                    case REFUSED -> {
                        return record.nack(verdict.rejection());
                    }
                    case BUG -> {
                        Log.errorf(e, "%s failed unexpectedly; dead-lettered", eventId);
                        return record.nack(e);
                    }
                    case RETRY -> {
                    }
                }
                Log.errorf("%s failed, retrying in %d ms: %s", eventId, backoff.toMillis(), e.getMessage());
                if (!sleep(backoff)) {
                    Log.infof("%s left unacknowledged for redelivery: shutting down", eventId);
                    return new CompletableFuture<>();
                }
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    /** @return false when shutdown began while waiting */
    private boolean sleep(Duration duration) {
        long until = System.nanoTime() + duration.toNanos();
        try {
            while (!stopping && System.nanoTime() < until) {
                Thread.sleep(Math.min(100, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return !stopping;
    }
}
