package dev.imageresizer.local;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.imageresizer.config.ResizerConfig;
import dev.imageresizer.storage.ObjectStore;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Dev mode only ({@code ./mvnw quarkus:dev}): starts the local Kafka broker and S3 server as their own processes (in
 * {@code target/dev-stack}, on the ports of {@code %dev.kafka.bootstrap.servers} and {@code %dev.quarkus.minio.port}),
 * creates the topics and buckets, and plays MinIO's bucket notifications ({@link NotificationFeed}). The servers outlive
 * hot reloads and stop when the dev JVM exits.
 */
@IfBuildProfile("dev")
@ApplicationScoped
public class DevStack {

    private static final String DLQ_TOPIC = "minio-events-dlq";
    private static final String FAILED_TOPIC = "image-renditions-failed";

    private final ObjectStore store;
    private final ResizerConfig config;
    private final String bootstrapServers;
    private final String eventsTopic;
    private final String renditionsTopic;
    private final int s3Port;
    private final String accessKey;
    private final String secretKey;
    private final Path dir = ServerClasspath.projectDir().resolve("target/dev-stack");
    private volatile NotificationFeed feed;

    DevStack(ObjectStore store, ResizerConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "mp.messaging.incoming.bucket-events.topic") String eventsTopic,
            @ConfigProperty(name = "mp.messaging.outgoing.image-renditions.topic") String renditionsTopic,
            @ConfigProperty(name = "quarkus.minio.port") int s3Port,
            @ConfigProperty(name = "quarkus.minio.access-key") String accessKey,
            @ConfigProperty(name = "quarkus.minio.secret-key") String secretKey) {
        this.store = store;
        this.config = config;
        this.bootstrapServers = bootstrapServers;
        this.eventsTopic = eventsTopic;
        this.renditionsTopic = renditionsTopic;
        this.s3Port = s3Port;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    void start(@Observes @Priority(0) StartupEvent event) throws Exception {
        int kafkaPort = Integer.parseInt(bootstrapServers.substring(bootstrapServers.lastIndexOf(':') + 1));
        if (!LocalServer.isListening(kafkaPort)) {
            Log.infof("Starting Kafka on port %d (first run resolves it from Maven Central)", kafkaPort);
            stopOnExit(LocalKafka.start(dir.resolve("kafka"), kafkaPort, kafkaPort + 1));
        }
        if (!LocalServer.isListening(s3Port)) {
            Log.infof("Starting the S3 server on port %d", s3Port);
            stopOnExit(LocalS3.start(dir.resolve("s3"), s3Port, accessKey, secretKey));
        }
        LocalKafka.createTopics(bootstrapServers, 1, eventsTopic, renditionsTopic, DLQ_TOPIC, FAILED_TOPIC);
        buckets().forEach(store::ensureBucket);
        feed = new NotificationFeed(store, config.source().buckets(), "", bootstrapServers, eventsTopic,
                Optional.of(dir.resolve("feed-state.properties"))).start();
        String source = config.source().buckets().get(0);
        Log.infof("""
                Dev stack ready.
                  S3     http://localhost:%d  (access key %s, secret key: quarkus.minio.secret-key), buckets %s
                  Kafka  %s  topics %s (MinIO events in), %s (renditions out), %s (refusals with reasons), %s (rejected events)
                Upload an image (SECRET: the dev profile's quarkus.minio.secret-key in application.properties):
                  curl --aws-sigv4 aws:amz:us-east-1:s3 --user %s:$SECRET -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' \\
                       -T photo.jpg http://localhost:%d/%s/photo.jpg
                Renditions appear in %s/<rendition>/photo.jpg""",
                s3Port, accessKey, buckets(), bootstrapServers, eventsTopic, renditionsTopic, FAILED_TOPIC, DLQ_TOPIC,
                accessKey, s3Port, source,
                dir.resolve("s3/buckets").resolve(config.destination().bucket() + config.destination().prefix().map(p -> "/" + p).orElse("")));
    }

    void stop(@Observes ShutdownEvent event) {
        if (feed != null) {
            feed.close();
        }
    }

    private List<String> buckets() {
        List<String> buckets = new java.util.ArrayList<>(config.source().buckets());
        if (!buckets.contains(config.destination().bucket())) {
            buckets.add(config.destination().bucket());
        }
        return buckets;
    }

    private static void stopOnExit(LocalServer server) {
        Log.infof("Started %s", server);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop-" + server.pid()));
    }
}
