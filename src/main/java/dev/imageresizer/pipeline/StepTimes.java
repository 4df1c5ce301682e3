package dev.imageresizer.pipeline;

import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;

/**
 * Where an event's time went, step by step: for its one log line ({@code lookup 3, fetch 12, render 250 ms}), the step
 * histograms and one trace span per step (a child of the record's span, with the step's own start and end).
 */
final class StepTimes {

    private final PipelineMetrics metrics;
    private final Tracer tracer;
    private final Context parent = Context.current();
    private final long started = System.nanoTime();
    private final long startedEpochNanos = epochNanos();
    private long last = started;
    private final StringBuilder steps = new StringBuilder();

    StepTimes(PipelineMetrics metrics, Tracer tracer) {
        this.metrics = metrics;
        this.tracer = tracer;
    }

    /** Ends a step: the time since the previous one ended (or the event started) is its own. */
    void done(String step) {
        long now = System.nanoTime();
        steps.append(steps.isEmpty() ? "" : ", ").append(step).append(' ').append((now - last) / 1_000_000);
        metrics.step(step, now - last);
        tracer.spanBuilder(step).setParent(parent)
                .setStartTimestamp(startedEpochNanos + (last - started), TimeUnit.NANOSECONDS)
                .startSpan().end(startedEpochNanos + (now - started), TimeUnit.NANOSECONDS);
        last = now;
    }

    long totalMillis() {
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static long epochNanos() {
        java.time.Instant now = java.time.Instant.now();
        return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
    }

    @Override
    public String toString() {
        return steps + " ms";
    }
}
