package dev.imageresizer.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.messages.Item;
import io.quarkus.logging.Log;

/**
 * Plays MinIO's bucket notifications where the S3 server has none (the local S3Proxy): every second it lists the
 * buckets (under a prefix) and publishes a MinIO {@code s3:ObjectCreated:Put} record for each new or changed object, and
 * {@code s3:ObjectRemoved:Delete} for each removed one. What it has notified is kept in a properties file, if given, so
 * that a restart does not notify everything again.
 */
public final class NotificationFeed implements AutoCloseable {

    private final MinioClient minio;
    private final List<String> buckets;
    private final String prefix;
    private final String bootstrapServers;
    private final String topic;
    private final Optional<Path> stateFile;
    private volatile Thread thread;

    public NotificationFeed(MinioClient minio, List<String> buckets, String prefix, String bootstrapServers, String topic, Optional<Path> stateFile) {
        this.minio = minio;
        this.buckets = List.copyOf(buckets);
        this.prefix = prefix;
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.stateFile = stateFile;
    }

    public NotificationFeed start() {
        thread = new Thread(this::run, "minio-notification-feed");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    @Override
    public void close() {
        Thread running = thread;
        thread = null;
        if (running != null) {
            running.interrupt();
        }
    }

    private void run() {
        Properties known = stateFile.map(NotificationFeed::load).orElseGet(Properties::new);
        try (MinioNotifications notifications = new MinioNotifications(bootstrapServers, topic)) {
            while (thread == Thread.currentThread()) {
                try {
                    if (poll(notifications, known) && stateFile.isPresent()) {
                        save(known, stateFile.get());
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
        for (String bucket : buckets) {
            Map<String, String> listed = new HashMap<>();
            for (Result<Item> result : minio.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
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
                if (key != null && key.startsWith(prefix) && !listed.containsKey(key)) {
                    notifications.publish("s3:ObjectRemoved:Delete", new MinioNotifications.ObjectState(bucket, key, "", 0, ""));
                    known.remove(id);
                    changed = true;
                }
            }
        }
        return changed;
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
            properties.store(out, "objects already notified by the notification feed: bucket/key=etag");
        }
    }
}
