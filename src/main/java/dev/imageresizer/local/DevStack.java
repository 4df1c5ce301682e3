package dev.imageresizer.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.imageresizer.config.ResizerConfig;
import io.minio.BucketExistsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.messages.Item;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Dev mode only ({@code ./mvnw quarkus:dev}): starts the local Kafka broker and S3 server as their own processes (in
 * {@code target/dev-stack}, on the ports of {@code %dev.kafka.bootstrap.servers} and {@code %dev.quarkus.minio.port}),
 * creates the topics and buckets, and plays MinIO's bucket notifications: every second it lists the source buckets and
 * publishes a MinIO {@code s3:ObjectCreated:Put} record for each new or changed object (and {@code s3:ObjectRemoved:Delete}
 * for each removed one). The servers outlive hot reloads and stop when the dev JVM exits.
 */
@IfBuildProfile("dev")
@ApplicationScoped
public class DevStack {

    private static final String DLQ_TOPIC = "minio-events-dlq";
    private static final String FAILED_TOPIC = "image-renditions-failed";

    private final MinioClient minio;
    private final ResizerConfig config;
    private final String bootstrapServers;
    private final String eventsTopic;
    private final String renditionsTopic;
    private final int s3Port;
    private final String accessKey;
    private final String secretKey;
    private final Path dir = ServerClasspath.projectDir().resolve("target/dev-stack");
    private volatile Thread feed;

    DevStack(MinioClient minio, ResizerConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "mp.messaging.incoming.bucket-events.topic") String eventsTopic,
            @ConfigProperty(name = "mp.messaging.outgoing.image-renditions.topic") String renditionsTopic,
            @ConfigProperty(name = "quarkus.minio.port") int s3Port,
            @ConfigProperty(name = "quarkus.minio.access-key") String accessKey,
            @ConfigProperty(name = "quarkus.minio.secret-key") String secretKey) {
        this.minio = minio;
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
        for (String bucket : buckets()) {
            if (!minio.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                minio.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
        }
        feed = new Thread(this::feed, "minio-notification-feed");
        feed.setDaemon(true);
        feed.start();
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
        Thread running = feed;
        feed = null;
        if (running != null) {
            running.interrupt();
        }
    }

    private List<String> buckets() {
        List<String> buckets = new java.util.ArrayList<>(config.source().buckets());
        if (!buckets.contains(config.destination().bucket())) {
            buckets.add(config.destination().bucket());
        }
        return buckets;
    }

    /** Lists the source buckets every second and notifies what changed since the last listing, as MinIO would. */
    private void feed() {
        Path stateFile = dir.resolve("feed-state.properties");
        Properties known = load(stateFile);
        try (MinioNotifications notifications = new MinioNotifications(bootstrapServers, eventsTopic)) {
            while (feed == Thread.currentThread()) {
                try {
                    if (poll(notifications, known)) {
                        save(known, stateFile);
                    }
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    Log.warnf("notification feed: %s; trying again", e.getMessage());
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                }
            }
        }
    }

    private boolean poll(MinioNotifications notifications, Properties known) throws Exception {
        boolean changed = false;
        for (String bucket : config.source().buckets()) {
            Map<String, String> listed = new HashMap<>();
            for (Result<Item> result : minio.listObjects(ListObjectsArgs.builder().bucket(bucket).recursive(true).build())) {
                Item item = result.get();
                if (!item.isDir()) {
                    listed.put(item.objectName(), item.etag().replace("\"", ""));
                }
            }
            for (Map.Entry<String, String> object : listed.entrySet()) {
                String id = bucket + "/" + object.getKey();
                if (!object.getValue().equals(known.getProperty(id))) {
                    var stat = minio.statObject(StatObjectArgs.builder().bucket(bucket).object(object.getKey()).build());
                    notifications.publish("s3:ObjectCreated:Put", new MinioNotifications.ObjectState(bucket, object.getKey(),
                            object.getValue(), stat.size(), stat.contentType()));
                    known.setProperty(id, object.getValue());
                    changed = true;
                }
            }
            for (String id : known.stringPropertyNames()) {
                String key = id.startsWith(bucket + "/") ? id.substring(bucket.length() + 1) : null;
                if (key != null && !listed.containsKey(key)) {
                    notifications.publish("s3:ObjectRemoved:Delete", new MinioNotifications.ObjectState(bucket, key, "", 0, ""));
                    known.remove(id);
                    changed = true;
                }
            }
        }
        return changed;
    }

    private static void stopOnExit(LocalServer server) {
        Log.infof("Started %s", server);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "stop-" + server.pid()));
    }

    private static Properties load(Path file) {
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                properties.load(in);
            } catch (IOException e) {
                Log.warnf("notification feed: cannot read %s (%s); starting afresh", file, e.getMessage());
            }
        }
        return properties;
    }

    private static void save(Properties properties, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            properties.store(out, "objects already notified by the dev notification feed: bucket/key=etag");
        }
    }
}
