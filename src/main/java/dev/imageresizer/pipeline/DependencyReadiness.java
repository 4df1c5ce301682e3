package dev.imageresizer.pipeline;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.storage.ObjectStore;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;

/**
 * Readiness includes whether the object store (the destination bucket, with our credentials and trust) and Kafka (the
 * announcement topic's metadata) answer. Probes come often (Knative's queue-proxy probes aggressively during a cold
 * start), so a probe never waits for them: it reports the last result and, when that is older than
 * {@value #RECHECK_SECONDS} s, starts a new check in the background (each bounded by {@value #TIMEOUT_SECONDS} s).
 * Until the first check is done a dependency counts as ready, so a cold start is not held back by it; from then on an
 * unreachable one (down, wrong credentials, untrusted certificate) makes the instance not ready, saying why.
 */
@Readiness
@ApplicationScoped
public class DependencyReadiness implements HealthCheck {

    static final int RECHECK_SECONDS = 10;
    static final int TIMEOUT_SECONDS = 5;

    /** The last result of one dependency's check. */
    record Result(boolean up, String detail, long checkedAt) {
        static final Result NOT_YET = new Result(true, "not checked yet", Long.MIN_VALUE);

        boolean stale(long now) {
            return checkedAt == Long.MIN_VALUE || now - checkedAt > Duration.ofSeconds(RECHECK_SECONDS).toNanos();
        }
    }

    private final ObjectStore store;
    private final KafkaClientService kafka;
    private final String bucket;
    private final boolean announce;
    private final String announcementTopic;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile ExecutorService checker;
    private volatile Result objectStore = Result.NOT_YET;
    private volatile Result broker = Result.NOT_YET;

    DependencyReadiness(ResizerConfig config, ObjectStore store, KafkaClientService kafka,
            @ConfigProperty(name = "mp.messaging.outgoing.image-renditions.topic", defaultValue = "image-renditions") String announcementTopic) {
        this.store = store;
        this.kafka = kafka;
        this.bucket = config.destination().bucket();
        this.announce = config.announce().enabled();
        this.announcementTopic = announcementTopic;
    }

    @Override
    public HealthCheckResponse call() {
        long now = System.nanoTime();
        if ((objectStore.stale(now) || broker.stale(now)) && checking.compareAndSet(false, true)) {
            checker().execute(this::check);
        }
        Result store = objectStore;
        Result kafka = broker;
        return HealthCheckResponse.named("object store and Kafka").status(store.up() && kafka.up())
                .withData("object store", store.detail()).withData("kafka", kafka.detail()).build();
    }

    private void check() {
        try {
            objectStore = check(() -> store.probe(bucket, Duration.ofSeconds(TIMEOUT_SECONDS))
                    ? "reachable, bucket " + bucket + " exists" : "reachable, bucket " + bucket + " not created yet");
            broker = announce ? check(() -> {
                int partitions = kafka.getProducer("image-renditions").partitionsFor(announcementTopic)
                        .await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS)).size();
                return "reachable, topic " + announcementTopic + " has " + partitions + " partition(s)";
            }) : new Result(true, "not used (resizer.announce.enabled=false)", System.nanoTime());
        } finally {
            checking.set(false);
        }
    }

    private interface Check {
        String run();
    }

    private static Result check(Check check) {
        try {
            return new Result(true, check.run(), System.nanoTime());
        } catch (RuntimeException e) {
            return new Result(false, "unreachable: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), System.nanoTime());
        }
    }

    private ExecutorService checker() {
        if (checker == null) {
            synchronized (this) {
                if (checker == null) {
                    checker = Executors.newSingleThreadExecutor(task -> {
                        Thread thread = new Thread(task, "resizer-readiness");
                        thread.setDaemon(true);
                        return thread;
                    });
                }
            }
        }
        return checker;
    }
}
