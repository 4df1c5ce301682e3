package dev.imageresizer.pipeline;

/**
 * Where an event's time went, step by step, for its one log line ({@code lookup 3, fetch 12, render 250 ms}) and the
 * step histograms.
 */
final class StepTimes {

    private final PipelineMetrics metrics;
    private final long started = System.nanoTime();
    private long last = started;
    private final StringBuilder steps = new StringBuilder();

    StepTimes(PipelineMetrics metrics) {
        this.metrics = metrics;
    }

    /** Ends a step: the time since the previous one ended (or the event started) is its own. */
    void done(String step) {
        long now = System.nanoTime();
        steps.append(steps.isEmpty() ? "" : ", ").append(step).append(' ').append((now - last) / 1_000_000);
        metrics.step(step, now - last);
        last = now;
    }

    long totalMillis() {
        return (System.nanoTime() - started) / 1_000_000;
    }

    @Override
    public String toString() {
        return steps + " ms";
    }
}
