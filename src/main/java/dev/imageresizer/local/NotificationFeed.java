package dev.imageresizer.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import dev.imageresizer.storage.ListedObject;
import dev.imageresizer.storage.ObjectPage;
import dev.imageresizer.storage.ObjectStore;
import dev.imageresizer.storage.StoredObject;
import io.quarkus.logging.Log;

/**
 * Plays MinIO's bucket notifications where the S3 server has none (the local S3Proxy): every second it lists the
 * buckets (under a prefix, page by page through the {@link ObjectStore}) and publishes a MinIO
 * {@code s3:ObjectCreated:Put} record for each new or changed object, and {@code s3:ObjectRemoved:Delete} for each
 * removed one. What it has notified is kept in a properties file, if given, so that a restart does not notify
 * everything again.
 */
public final class NotificationFeed implements AutoCloseable {

    private final ObjectStore store;
    private final List<String> buckets;
    private final String prefix;
    private final String bootstrapServers;
    private final String topic;
    private final Optional<Path> stateFile;
    private volatile Thread thread;

    public NotificationFeed(ObjectStore store, List<String> buckets, String prefix, String bootstrapServers, String topic, Optional<Path> stateFile) {
        this.store = store;
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

    private boolean poll(MinioNotifications notifications, Properties known) {
        boolean changed = false;
        for (String bucket : buckets) {
            Set<String> listed = new HashSet<>();
            Optional<String> after = Optional.empty();
            do {
                ObjectPage page = store.list(bucket, prefix, after, ObjectStore.MAX_PAGE_SIZE);
                Map<String, String> news = new LinkedHashMap<>();
                for (ListedObject object : page.objects()) {
                    listed.add(object.key());
                    String eTag = object.eTag() == null ? "" : object.eTag().value();
                    if (!eTag.equals(known.getProperty(bucket + "/" + object.key()))) {
                        news.put(object.key(), eTag);
                    }
                }
                if (!news.isEmpty()) {
                    // the content type is not in a listing
                    for (Map.Entry<String, Optional<StoredObject>> stat : store.statAll(bucket, List.copyOf(news.keySet())).entrySet()) {
                        if (stat.getValue().isPresent()) {
                            StoredObject object = stat.getValue().get();
                            String eTag = news.get(stat.getKey());
                            notifications.publish("s3:ObjectCreated:Put",
                                    new MinioNotifications.ObjectState(bucket, object.key(), eTag, object.size(), object.contentType()));
                            known.setProperty(bucket + "/" + object.key(), eTag);
                            changed = true;
                        }
                    }
                }
                after = page.next();
            } while (after.isPresent());
            for (String id : known.stringPropertyNames()) {
                String key = id.startsWith(bucket + "/") ? id.substring(bucket.length() + 1) : null;
                if (key != null && key.startsWith(prefix) && !listed.contains(key)) {
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
