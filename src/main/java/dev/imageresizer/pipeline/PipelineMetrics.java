package dev.imageresizer.pipeline;

import dev.imageresizer.failure.Failure;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What the pipeline counts and times, on {@code /q/metrics} (Prometheus names in brackets):
 * <ul>
 * <li>{@code resizer.notifications} [{@code resizer_notifications_total}]: bucket notifications received, each with
 * one or more records;</li>
 * <li>{@code resizer.records} [{@code resizer_records_total}] by {@code outcome}: {@code processed} (renditions
 * written), {@code unchanged} (all already stored for the ETag), {@code ignored} (not an upload to resize, or gone),
 * {@code rejected} (with the {@code reason} code, as on the failure topic), {@code retried} (a transient failure: the
 * event comes again);</li>
 * <li>{@code resizer.step} [{@code resizer_step_seconds}] by {@code step}: lookup, fetch, inspect, decode, render,
 * store, announce, as histograms;</li>
 * <li>{@code resizer.rendition} [{@code resizer_rendition_seconds}] by {@code rendition}: time to render and encode
 * each rendition, as histograms;</li>
 * <li>{@code resizer.original.bytes} and {@code resizer.rendition.bytes} (by {@code rendition}) [{@code _bytes_sum},
 * {@code _bytes_count}]: bytes fetched and written.</li>
 * </ul>
 */
@ApplicationScoped
public class PipelineMetrics {

    private static final Duration SHORTEST = Duration.ofMillis(1);
    private static final Duration LONGEST = Duration.ofSeconds(60);

    private final MeterRegistry registry;
    private final Counter notifications;

    PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.notifications = Counter.builder("resizer.notifications").description("Bucket notifications received").register(registry);
    }

    void notificationReceived() {
        notifications.increment();
    }

    void processed() {
        record("processed", "none");
    }

    void unchanged() {
        record("unchanged", "none");
    }

    void ignored() {
        record("ignored", "none");
    }

    void rejected(Failure.Reason reason) {
        record("rejected", reason.code);
    }

    void retried() {
        record("retried", "none");
    }

    private void record(String outcome, String reason) {
        Counter.builder("resizer.records").description("Notification records by outcome")
                .tag("outcome", outcome).tag("reason", reason).register(registry).increment();
    }

    void step(String step, long nanos) {
        histogram("resizer.step", "Time of each pipeline step", "step", step).record(nanos, TimeUnit.NANOSECONDS);
    }

    void rendition(String rendition, long nanos, long bytes) {
        histogram("resizer.rendition", "Time to render and encode one rendition", "rendition", rendition).record(nanos, TimeUnit.NANOSECONDS);
        DistributionSummary.builder("resizer.rendition.bytes").description("Bytes of each rendition written").baseUnit("bytes")
                .tag("rendition", rendition).register(registry).record(bytes);
    }

    void original(long bytes) {
        DistributionSummary.builder("resizer.original.bytes").description("Bytes of each original fetched").baseUnit("bytes")
                .register(registry).record(bytes);
    }

    private Timer histogram(String name, String description, String tag, String value) {
        return Timer.builder(name).description(description).tag(tag, value)
                .publishPercentileHistogram().minimumExpectedValue(SHORTEST).maximumExpectedValue(LONGEST)
                .register(registry);
    }
}
