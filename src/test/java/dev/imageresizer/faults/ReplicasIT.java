package dev.imageresizer.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.imageresizer.imaging.ImageData;
import dev.imageresizer.imaging.ImageDecoder;
import dev.imageresizer.imaging.ImageInfo;
import dev.imageresizer.imaging.ImageInspector;
import dev.imageresizer.local.MinioNotifications;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.support.HostileImages;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.PackagedApp;
import dev.imageresizer.support.Store;
import dev.imageresizer.support.TestServers;
import dev.imageresizer.support.Topic;
import io.minio.MinioClient;

/**
 * Replicas of the direct consumer sharing one group over a 6-partition {@code minio-events}: three packaged
 * applications, each its own JVM on its own HTTP port, take 1,000 notifications (970 good images of varying sizes and
 * formats, 30 bad or hostile files spread among them); once 40% are done one replica is killed with {@code kill -9} and a
 * fourth joins the group. Every good upload must then have its three renditions, complete and decodable at the size
 * their metadata states; every bad upload exactly one distinct failure record with its reason; none lost, none stuck
 * behind a bad file, all within the deadline. Repeats (the killed replica's uncommitted records, and the survivors'
 * records acknowledged but not committed when the fourth's arrival rebalances the group) are counted and printed: they
 * rewrite nothing, and each must carry the same {@code ce_id} as the first.
 */
class ReplicasIT {

    private static final int UPLOADS = 1000;
    private static final int PARTITIONS = 6;
    private static final int BAD_EVERY = 33; // 30 bad files among 1,000
    private static final double KILL_AT = 0.4;
    private static final Duration DEADLINE = Duration.ofMinutes(7);
    /** Joining while the group still counts the killed member waits for its session timeout (45 s by default). */
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(150);
    private static final String[] PHOTOS = { "dune.jpg", "elephants-1920.jpg", "hubble-deep-field.jpg", "baboon.jpg",
            "building.jpg", "leuven.jpg", "rocket.jpg", "chelsea-cat.png", "coffee.png" };
    private static final Pattern WRITTEN = Pattern.compile("images/([^\\s:\"]+): (\\d+) renditions written");
    private static final Pattern REJECTED = Pattern.compile("images/([^\\s:\"]+) rejected \\[(\\w+)\\]");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One upload and what should come of it: renditions ({@code reason} null) or one failure record with that reason. */
    private record Upload(String key, byte[] bytes, String contentType, String reason) {
        boolean good() {
            return reason == null;
        }
    }

    private record Instance(int number, PackagedApp app) {
    }

    private Path dir;
    private TestServers servers;
    private MinioClient minio;
    private final List<Instance> instances = new CopyOnWriteArrayList<>();
    private boolean keep;

    @BeforeEach
    void startServers() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "faults-replicas-");
        servers = TestServers.builder().partitions(PARTITIONS).start(dir);
        minio = servers.minio();
    }

    @AfterEach
    void stopServers() throws Exception {
        for (Instance instance : instances) {
            instance.app().kill();
        }
        servers.close();
        // the applications' logs (a few MB) stay in target/replicas-logs for a look at the timeline
        Path logs = Path.of("target/replicas-logs");
        Files.createDirectories(logs);
        for (Instance instance : instances) {
            Files.copy(instance.app().log(), logs.resolve(instance.app().log().getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        if (keep) {
            System.out.println("kept for inspection: " + dir);
            return;
        }
        servers.deleteData();
    }

    @Test
    void replicasShareTheTopicAndLoseNothingWhenOneIsKilled() throws Exception {
        List<Upload> uploads = uploads();
        Map<String, ObjectState> stored = upload(uploads);
        for (int i = 0; i < 3; i++) {
            startInstance(Duration.ofSeconds(60));
        }

        long start = System.nanoTime();
        Map<Integer, Integer> perPartition = notify(uploads, stored);
        double published = seconds(start);

        Progress progress = watchKillingOneMidRun(start);
        String joined = progress.fourth == null ? "no fourth instance" : progress.fourth.get(JOIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        Map<String, Integer> announced = progress.announced;
        Map<String, List<String>> failed = progress.failed;

        List<Upload> good = uploads.stream().filter(Upload::good).toList();
        List<Upload> bad = uploads.stream().filter(u -> !u.good()).toList();
        List<String> missingRenditions = Collections.synchronizedList(new ArrayList<>());
        List<String> corrupt = Collections.synchronizedList(new ArrayList<>());
        verifyRenditions(good, stored, missingRenditions, corrupt);
        List<String> missingFailures = bad.stream().map(u -> "images/" + u.key()).filter(k -> !failed.containsKey(k)).toList();
        List<String> wrongReason = bad.stream().filter(u -> failed.containsKey("images/" + u.key())
                && !failed.get("images/" + u.key()).stream().allMatch(u.reason()::equals))
                .map(u -> u.key() + " expected " + u.reason() + " got " + failed.get("images/" + u.key())).toList();
        int failureRecords = failed.values().stream().mapToInt(List::size).sum();
        int announcements = announced.values().stream().mapToInt(Integer::intValue).sum();
        int deadLettered;
        try (Topic dlq = new Topic(bootstrap(), "minio-events-dlq")) {
            deadLettered = dlq.records().size();
        }
        Handled handled = handledPerInstance();
        long withoutRenditions = missingRenditions.stream().map(k -> k.substring(k.indexOf('/') + 1)).distinct().count();
        long lost = withoutRenditions + missingFailures.size();

        System.out.printf("%nreplicas: %d uploads (%d good, %d bad) over %d partitions %s, notified in %.1f s%n",
                UPLOADS, good.size(), bad.size(), PARTITIONS, perPartition.values(), published);
        System.out.printf("  %s; %s%n", progress.kill, joined);
        System.out.printf("  all done after %.1f s: %.1f uploads/s; longest time without a completion %.1f s%n", progress.elapsed,
                progress.done / progress.elapsed, progress.longestStall);
        System.out.printf("  progress: %s%n", String.join(" ", progress.timeline));
        handled.lines.forEach(line -> System.out.println("  " + line));
        System.out.printf("  handled %d times in all: %d redeliveries (%d keys handled more than once: %s)%n",
                handled.total, handled.total - UPLOADS, handled.repeatedKeys, handled.repeats);
        System.out.printf("  announcements %d for %d good uploads (%d duplicates); failure records %d for %d bad uploads (%d duplicates); "
                + "dead-lettered %d%n", announcements, announced.size(), announcements - announced.size(), failureRecords, failed.size(),
                failureRecords - failed.size(), deadLettered);
        System.out.printf("  lost %d (good uploads missing renditions %d, bad uploads missing their failure record %d), corrupt renditions %d, "
                + "wrong reasons %d%n%n", lost, withoutRenditions, missingFailures.size(), corrupt.size(), wrongReason.size());

        keep = lost > 0 || !corrupt.isEmpty() || !wrongReason.isEmpty();
        assertNotNull(progress.kill, "a replica was killed mid-run");
        assertEquals(List.of(), missingRenditions, "good uploads without all their renditions");
        assertEquals(List.of(), corrupt, "renditions partial, corrupt or not matching their metadata");
        assertEquals(List.of(), missingFailures, "bad uploads without a failure record");
        assertEquals(List.of(), wrongReason, "failure records with another reason");
        assertEquals(List.of(), announced.keySet().stream().filter(k -> !k.startsWith("images/good/")).toList(), "announcements for bad uploads");
        assertEquals(List.of(), progress.ids.entrySet().stream().filter(e -> e.getValue().size() != 1 || e.getValue().contains(null))
                .map(Map.Entry::getKey).toList(),
                "uploads whose repeated announcements or failure records differ in ce_id, so readers could not drop the repeats");
        assertEquals(UPLOADS, progress.done, "all done within " + DEADLINE);
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** What the scenario saw while it waited: completions per key, when and how the group changed, how progress went. */
    private static final class Progress {
        final Map<String, Integer> announced = new HashMap<>();
        final Map<String, List<String>> failed = new HashMap<>(); // key -> reasons, one per failure record
        final Map<String, Set<String>> ids = new HashMap<>(); // key -> ce_id of its announcements or failure records
        final List<String> timeline = new ArrayList<>();
        String kill;
        CompletableFuture<String> fourth;
        int done;
        double elapsed;
        double longestStall;
    }

    /**
     * Follows the announcements and failure records until every upload has one or the deadline passes; once
     * {@link #KILL_AT} of them are done, kills instance 2 with {@code kill -9} and starts a fourth instance.
     */
    private Progress watchKillingOneMidRun(long start) throws Exception {
        Progress progress = new Progress();
        double lastProgressAt = -1; // the first look (after notifying) is the baseline, not the start of notifying
        try (Topic renditions = new Topic(bootstrap(), "image-renditions"); Topic failures = new Topic(bootstrap(), "image-renditions-failed")) {
            int seenRenditions = 0;
            int seenFailures = 0;
            double nextSample = 10;
            while (progress.done < UPLOADS && System.nanoTime() - start < DEADLINE.toNanos()) {
                List<ConsumerRecord<String, byte[]>> r = renditions.records();
                for (ConsumerRecord<String, byte[]> record : r.subList(seenRenditions, r.size())) {
                    progress.announced.merge(record.key(), 1, Integer::sum);
                    progress.ids.computeIfAbsent(record.key(), k -> new HashSet<>()).add(Topic.header(record, "ce_id"));
                }
                seenRenditions = r.size();
                List<ConsumerRecord<String, byte[]>> f = failures.records();
                for (ConsumerRecord<String, byte[]> record : f.subList(seenFailures, f.size())) {
                    progress.failed.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(JSON.readTree(record.value()).path("reason").asText());
                    progress.ids.computeIfAbsent(record.key(), k -> new HashSet<>()).add(Topic.header(record, "ce_id"));
                }
                seenFailures = f.size();
                int now = progress.announced.size() + progress.failed.size();
                double t = seconds(start);
                if (lastProgressAt < 0 || now > progress.done) {
                    progress.longestStall = Math.max(progress.longestStall, lastProgressAt < 0 ? 0 : t - lastProgressAt);
                    lastProgressAt = t;
                }
                progress.done = now;
                if (t >= nextSample) {
                    progress.timeline.add(String.format("%.0fs:%d", t, now));
                    nextSample = Math.floor(t / 10) * 10 + 10;
                }
                if (progress.kill == null && now >= UPLOADS * KILL_AT) {
                    Instance victim = instances.get(1);
                    victim.app().kill(); // SIGKILL: no shutdown hook, no commit, no leave-group
                    progress.kill = String.format("kill -9 instance 2 (pid %d) at %.1f s, %d done", victim.app().pid(), seconds(start), now);
                    // the fourth starts at once and joins in the background, so progress is still watched meanwhile
                    progress.fourth = CompletableFuture.supplyAsync(() -> {
                        try {
                            startInstance(JOIN_TIMEOUT);
                            return String.format("instance 4 started then, ready at %.1f s", seconds(start));
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
            }
        }
        progress.elapsed = seconds(start);
        if (progress.done < UPLOADS) {
            progress.longestStall = Math.max(progress.longestStall, progress.elapsed - lastProgressAt);
        }
        return progress;
    }

    /**
     * 970 good images cycling through the fixture photos and synthetic ones of several sizes, and every 33rd
     * (30 in all) one of six bad kinds, each named by its fact and expected reason.
     */
    private static List<Upload> uploads() {
        List<Upload> variants = new ArrayList<>();
        for (String photo : PHOTOS) {
            variants.add(new Upload(photo, Images.fixture("photos/" + photo), photo.endsWith(".png") ? "image/png" : "image/jpeg", null));
        }
        int[][] sizes = { { 160, 120 }, { 640, 480 }, { 1024, 768 }, { 1600, 1200 }, { 900, 1600 }, { 2000, 1000 } };
        for (int[] size : sizes) {
            variants.add(new Upload("synthetic-" + size[0] + "x" + size[1] + ".jpg", Images.synthetic("jpg", size[0], size[1], false),
                    "image/jpeg", null));
        }
        variants.add(new Upload("synthetic-alpha-400x300.png", Images.synthetic("png", 400, 300, true), "image/png", null));
        variants.add(new Upload("synthetic-800x600.png", Images.synthetic("png", 800, 600, false), "image/png", null));

        byte[] dune = Images.fixture("photos/dune.jpg");
        List<Upload> hostile = List.of(
                new Upload("truncated.jpg", Arrays.copyOf(dune, dune.length / 3), "image/jpeg", "corrupt"),
                new Upload("html-not-an-image.jpg", "<!DOCTYPE html><html><body>not an image</body></html>".getBytes(StandardCharsets.UTF_8),
                        "image/jpeg", "notanimage"),
                new Upload("bomb-30000x30000.png", HostileImages.pngBomb(30_000), "image/png", "toolarge"),
                new Upload("claims-64000x64000.jpg", HostileImages.jpegClaiming(64_000, 64_000), "image/jpeg", "toolarge"),
                new Upload("crc-mismatch.png", crcMismatch(Images.fixture("photos/chelsea-cat.png")), "image/png", "corrupt"),
                new Upload("lzma.tif", HostileImages.tiffCompressed(64, 64, 34925), "image/tiff", "unsupported"),
                new Upload("tiles-65535.tif", HostileImages.tiffTiles(64, 64, 65535, 65535), "image/tiff", "toolarge"));

        List<Upload> uploads = new ArrayList<>();
        int bad = 0;
        for (int i = 0; i < UPLOADS; i++) {
            Upload template = i % BAD_EVERY == BAD_EVERY / 2 ? hostile.get(bad++ % hostile.size()) : variants.get(i % variants.size());
            String folder = template.good() ? "good/" : "bad/";
            uploads.add(new Upload(folder + String.format("%04d-", i) + template.key(), template.bytes(), template.contentType(), template.reason()));
        }
        return uploads;
    }

    /** The PNG with one byte of its first IDAT chunk changed, so that chunk's CRC no longer matches. */
    private static byte[] crcMismatch(byte[] png) {
        byte[] damaged = png.clone();
        for (int i = 8; i + 20 < damaged.length; i++) {
            if (damaged[i] == 'I' && damaged[i + 1] == 'D' && damaged[i + 2] == 'A' && damaged[i + 3] == 'T') {
                damaged[i + 16] ^= 0x55;
                return damaged;
            }
        }
        throw new IllegalStateException("no IDAT chunk");
    }

    private Map<String, ObjectState> upload(List<Upload> uploads) throws Exception {
        Store store = new Store(minio);
        Map<String, ObjectState> stored = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> puts = new ArrayList<>();
            for (Upload upload : uploads) {
                puts.add(pool.submit(() -> stored.put(upload.key(), store.upload("images", upload.key(), upload.bytes(), upload.contentType()))));
            }
            for (Future<?> put : puts) {
                put.get();
            }
        } finally {
            pool.shutdown();
        }
        return stored;
    }

    /** Publishes each upload's notification as MinIO does (keyed {@code images/<key>}); returns how many went to each partition. */
    private Map<Integer, Integer> notify(List<Upload> uploads, Map<String, ObjectState> stored) {
        Map<Integer, Integer> perPartition = new TreeMap<>();
        try (MinioNotifications notifications = new MinioNotifications(bootstrap(), "minio-events")) {
            for (Upload upload : uploads) {
                notifications.publish("s3:ObjectCreated:Put", stored.get(upload.key()));
                String recordKey = MinioNotifications.recordKey("images", upload.key());
                // the producer's default partitioner for a keyed record
                perPartition.merge(Utils.toPositive(Utils.murmur2(recordKey.getBytes(StandardCharsets.UTF_8))) % PARTITIONS, 1, Integer::sum);
            }
        }
        return perPartition;
    }

    /** One more packaged application in the group {@code image-resizer}, on its own HTTP port, ready when it has partitions. */
    private void startInstance(Duration timeout) throws Exception {
        int number = instances.size() + 1;
        PackagedApp app = PackagedApp.builder(dir.resolve("app-" + number + ".log")).heap("512m").config(servers.appConfig())
                .config("resizer.consumer.enabled", "true").config("resizer.consumer.workers", "2")
                .config("resizer.consumer.retry-max-backoff", "2s").launch();
        instances.add(new Instance(number, app)); // killed after the test even if it never gets ready
        app.awaitReady(timeout);
    }

    /** Each good upload's three renditions: present, decodable by the strict decoder, of the size and ETag their metadata states. */
    private void verifyRenditions(List<Upload> good, Map<String, ObjectState> stored, List<String> missing, List<String> corrupt) {
        Store store = new Store(minio);
        ThreadLocal<ImageDecoder> decoders = ThreadLocal.withInitial(ImageDecoder::new);
        ImageInspector inspector = new ImageInspector(100_000_000L);
        good.parallelStream().forEach(upload -> {
            for (String rendition : List.of("large", "small", "thumb")) {
                String key = rendition + "/" + upload.key();
                var stat = store.stat("processed", key);
                if (stat.isEmpty()) {
                    missing.add(key);
                    continue;
                }
                byte[] bytes = store.get("processed", key);
                try {
                    ImageInfo info = inspector.inspect(ImageData.of(bytes));
                    decoders.get().decode(ImageData.of(bytes), info, 1);
                    if (bytes.length != stat.get().size()
                            || info.width() != Integer.parseInt(stat.get().userMetadata().get("width"))
                            || info.height() != Integer.parseInt(stat.get().userMetadata().get("height"))
                            || !stored.get(upload.key()).eTag().equals(stat.get().userMetadata().get("source-etag"))) {
                        corrupt.add(key + " (does not match its metadata)");
                    }
                } catch (RuntimeException e) {
                    corrupt.add(key + " (" + e.getMessage() + ")");
                }
            }
        });
    }

    private record Handled(List<String> lines, int total, long repeatedKeys, String repeats) {
    }

    /** What each instance's log says it did: one INFO line per stored original, one WARN line per refusal. */
    private Handled handledPerInstance() throws Exception {
        List<String> lines = new ArrayList<>();
        Map<String, List<Integer>> perKey = new HashMap<>(); // key -> the instances that handled it, once per handling
        int total = 0;
        for (Instance instance : instances) {
            int written = 0;
            int current = 0;
            int rejected = 0;
            for (String line : Files.readAllLines(instance.app().log())) {
                Matcher w = WRITTEN.matcher(line);
                Matcher r = REJECTED.matcher(line);
                if (w.find()) {
                    perKey.computeIfAbsent(w.group(1), k -> new ArrayList<>()).add(instance.number());
                    if (Integer.parseInt(w.group(2)) > 0) {
                        written++;
                    } else {
                        current++;
                    }
                } else if (r.find()) {
                    perKey.computeIfAbsent(r.group(1), k -> new ArrayList<>()).add(instance.number());
                    rejected++;
                }
            }
            total += written + current + rejected;
            lines.add(String.format("instance %d (port %d%s): %d renditions written, %d found already current, %d refused", instance.number(),
                    instance.app().port(), instance.app().isAlive() ? "" : ", killed", written, current, rejected));
        }
        List<List<Integer>> repeated = perKey.values().stream().filter(l -> l.size() > 1).toList();
        long afterKill = repeated.stream().filter(l -> l.contains(2) && l.stream().anyMatch(n -> n != 2)).count();
        long sameInstance = repeated.stream().filter(l -> l.stream().distinct().count() == 1).count();
        String repeats = String.format("%d also handled by the killed instance 2, %d moved between live instances at a rebalance, "
                + "%d twice by the same instance", afterKill, repeated.size() - afterKill - sameInstance, sameInstance);
        return new Handled(lines, total, repeated.size(), repeats);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private String bootstrap() {
        return servers.bootstrap();
    }
}
