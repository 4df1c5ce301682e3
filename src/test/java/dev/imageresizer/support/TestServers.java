package dev.imageresizer.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

import dev.imageresizer.local.LocalKafka;
import dev.imageresizer.local.LocalS3;
import dev.imageresizer.local.LocalServer;
import dev.imageresizer.storage.ObjectStoreHttpClient;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;

/**
 * The real servers a test runs against, each its own process: Apache Kafka 4.1 (KRaft) with the application's four
 * topics, and S3Proxy with the source bucket, on free ports, with their data under the directory given to
 * {@link Builder#start(Path)}. Either server can be stopped or killed and started again on the same ports and data, to
 * play an outage.
 *
 * <pre>{@code
 * try (TestServers servers = TestServers.builder().partitions(4).start(dir)) {
 *     PackagedApp app = PackagedApp.builder(dir.resolve("app.log")).config(servers.appConfig()).start();
 * }
 * }</pre>
 */
public final class TestServers implements AutoCloseable {

    public static final String EVENTS_TOPIC = "minio-events";
    public static final String RENDITIONS_TOPIC = "image-renditions";
    public static final String FAILED_TOPIC = "image-renditions-failed";
    public static final String DLQ_TOPIC = "minio-events-dlq";
    public static final String SOURCE_BUCKET = "images";
    public static final String ACCESS_KEY = "resizer-test";
    public static final String SECRET_KEY = "resizer-test-secret";
    /** The SCRAM user the broker itself, the admin client and {@link #kafkaClient()} use on a SASL_SSL listener. */
    private static final String ADMIN = "admin";
    private static final String ADMIN_PASSWORD = "admin-secret";

    private final Builder options;
    private final Path dir;
    private final int kafkaPort;
    private final int controllerPort;
    private final int s3Port;
    private final LocalKafka.Listener listener;
    private volatile LocalServer kafka;
    private volatile LocalServer s3;
    private MinioClient minio;

    private TestServers(Builder options, Path dir) throws IOException {
        this.options = options;
        this.dir = dir;
        this.kafkaPort = LocalServer.freePort();
        this.controllerPort = LocalServer.freePort();
        this.s3Port = LocalServer.freePort();
        this.listener = options.saslSsl == null ? LocalKafka.Listener.PLAINTEXT : saslSslListener(options.saslSsl, options.users);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What the servers look like; each option's default is stated on it. */
    public static final class Builder {
        private boolean withKafka = true;
        private int partitions = 1;
        private List<String> buckets = List.of(SOURCE_BUCKET);
        private TestCertificates saslSsl;
        private final Map<String, String> users = new LinkedHashMap<>();
        private TestCertificates s3Tls;

        private Builder() {
        }

        /** Partitions of {@value TestServers#EVENTS_TOPIC} (default 1); the other topics have one. */
        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        /** The buckets made at start (default {@value TestServers#SOURCE_BUCKET}; the resizer makes its destination itself). */
        public Builder buckets(String... buckets) {
            this.buckets = List.of(buckets);
            return this;
        }

        /**
         * Kafka's only client listener is SASL_SSL on {@code localhost} with SCRAM-SHA-512, its certificate from
         * {@code certificates} (default: PLAINTEXT on 127.0.0.1). An {@code admin} user always exists.
         */
        public Builder saslSsl(TestCertificates certificates) {
            this.saslSsl = certificates;
            return this;
        }

        /** One more SCRAM user of the SASL_SSL listener. */
        public Builder user(String name, String password) {
            users.put(name, password);
            return this;
        }

        /** S3 serves https only on {@code localhost}, with the key and certificate in {@code certificates} (default: http). */
        public Builder s3Tls(TestCertificates certificates) {
            this.s3Tls = certificates;
            return this;
        }

        /** No Kafka broker, for tests of the object store alone (default: with one). */
        public Builder withoutKafka() {
            this.withKafka = false;
            return this;
        }

        /** Starts Kafka and S3 (in parallel), then makes the topics and the buckets; on any failure stops what started. */
        public TestServers start(Path dir) throws IOException, InterruptedException {
            TestServers servers = new TestServers(this, dir);
            try {
                CompletableFuture<Void> kafka = withKafka ? CompletableFuture.runAsync(() -> unchecked(servers::startKafka))
                        : CompletableFuture.completedFuture(null);
                try {
                    servers.startS3();
                } finally {
                    join(kafka);
                }
                if (withKafka) {
                    LocalKafka.createTopics(servers.bootstrap(), servers.kafkaClient(), partitions, EVENTS_TOPIC);
                    LocalKafka.createTopics(servers.bootstrap(), servers.kafkaClient(), 1, RENDITIONS_TOPIC, FAILED_TOPIC, DLQ_TOPIC);
                }
                for (String bucket : buckets) {
                    servers.minio().makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                }
                return servers;
            } catch (IOException | InterruptedException | RuntimeException e) {
                servers.close();
                throw e;
            } catch (Exception e) { // the MinIO client's checked exceptions
                servers.close();
                throw new IOException("making the buckets " + buckets + " failed", e);
            }
        }
    }

    /** Kafka's bootstrap address. */
    public String bootstrap() {
        return listener.bootstrapServers(kafkaPort);
    }

    /** What a Kafka client needs besides the bootstrap address: nothing on PLAINTEXT, the admin's SASL_SSL settings otherwise. */
    public Map<String, Object> kafkaClient() {
        return options.saslSsl == null ? Map.of() : kafkaClient(ADMIN, ADMIN_PASSWORD);
    }

    /** The SASL_SSL settings of a client connecting as {@code user} with {@code password} (right or not). */
    public Map<String, Object> kafkaClient(String user, String password) {
        if (options.saslSsl == null) {
            throw new IllegalStateException("Kafka runs PLAINTEXT: no users");
        }
        Map<String, Object> client = new HashMap<>();
        client.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        client.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
        client.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(user, password));
        client.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        client.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, options.saslSsl.pem().toString());
        return client;
    }

    public String s3Endpoint() {
        return (options.s3Tls == null ? "http://127.0.0.1:" : "https://localhost:") + s3Port;
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    /** A client of the S3 server (as an uploading user), closed with the servers. */
    public synchronized MinioClient minio() {
        if (minio == null) {
            MinioClient.Builder builder = MinioClient.builder().endpoint(s3Endpoint()).credentials(ACCESS_KEY, SECRET_KEY);
            if (options.s3Tls != null) {
                builder.httpClient(ObjectStoreHttpClient.trusting(options.s3Tls.pem()));
            }
            minio = builder.build();
        }
        return minio;
    }

    /** What the packaged application needs to reach these servers, as configuration properties. */
    public Map<String, String> appConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        if (options.withKafka) {
            config.put("kafka.bootstrap.servers", bootstrap());
        }
        config.put("quarkus.minio.host", options.s3Tls == null ? "127.0.0.1" : "localhost");
        config.put("quarkus.minio.port", Integer.toString(s3Port));
        config.put("quarkus.minio.secure", Boolean.toString(options.s3Tls != null));
        config.put("quarkus.minio.access-key", ACCESS_KEY);
        config.put("quarkus.minio.secret-key", SECRET_KEY);
        if (options.s3Tls != null) {
            config.put("resizer.object-store.trust-store", options.s3Tls.pem().toString());
        }
        return config;
    }

    /** As {@link #appConfig()}, with the application connecting to the SASL_SSL listener as {@code user}: every {@code kafka.*}. */
    public Map<String, String> appConfig(String user, String password) {
        Map<String, String> config = appConfig();
        kafkaClient(user, password).forEach((key, value) -> config.put("kafka." + key, value.toString()));
        return config;
    }

    /** Starts the Kafka broker (again) on the same ports and data. */
    public void startKafka() throws IOException, InterruptedException {
        kafka = LocalKafka.start(dir.resolve("kafka"), kafkaPort, controllerPort, listener);
    }

    /** Stops the Kafka broker, as an outage. */
    public void stopKafka() {
        kafka.close();
    }

    /** Kills the Kafka broker ({@code kill -9}). */
    public void killKafka() throws InterruptedException {
        kafka.kill();
    }

    /** Starts the S3 server (again) on the same port and data. */
    public void startS3() throws IOException, InterruptedException {
        s3 = options.s3Tls == null ? LocalS3.start(dir.resolve("s3"), s3Port, ACCESS_KEY, SECRET_KEY)
                : LocalS3.startTls(dir.resolve("s3"), s3Port, ACCESS_KEY, SECRET_KEY, options.s3Tls.keystore(), options.s3Tls.password());
    }

    /** Stops the S3 server, as an outage. */
    public void stopS3() {
        s3.close();
    }

    /** Kills the S3 server ({@code kill -9}). */
    public void killS3() throws InterruptedException {
        s3.kill();
    }

    /** Stops both servers; their data stays in the directory (see {@link #deleteData()}). */
    @Override
    public void close() {
        if (minio != null) {
            try {
                minio.close();
            } catch (Exception e) {
                // nothing held that outlives the servers
            }
        }
        if (s3 != null) {
            s3.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** Deletes the directory given to {@link Builder#start(Path)}, with all that was written into it. */
    public void deleteData() throws IOException {
        deleteTree(dir);
    }

    /** Deletes a directory and all below it. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(dir)) {
            tree.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private LocalKafka.Listener saslSslListener(TestCertificates certificates, Map<String, String> users) {
        List<String> scram = new ArrayList<>(List.of("--add-scram", "SCRAM-SHA-512=[name=" + ADMIN + ",password=" + ADMIN_PASSWORD + "]"));
        users.forEach((name, password) -> scram.addAll(List.of("--add-scram", "SCRAM-SHA-512=[name=" + name + ",password=" + password + "]")));
        return new LocalKafka.Listener("SASL_SSL", "localhost", List.of(
                "sasl.enabled.mechanisms=SCRAM-SHA-512",
                "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=" + jaas(ADMIN, ADMIN_PASSWORD),
                "ssl.keystore.type=PKCS12",
                "ssl.keystore.location=" + certificates.keystore(),
                "ssl.keystore.password=" + certificates.password(),
                "ssl.key.password=" + certificates.password(),
                // the broker is its own client on the inter-broker listener
                "ssl.truststore.type=PEM",
                "ssl.truststore.location=" + certificates.pem()),
                // SCRAM users are stored in the cluster metadata; a new KRaft cluster gets them when it is formatted
                scram,
                kafkaClient(ADMIN, ADMIN_PASSWORD));
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    private interface Start {
        void run() throws IOException, InterruptedException;
    }

    private static void unchecked(Start start) {
        try {
            start.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void join(CompletableFuture<Void> starting) throws IOException {
        try {
            starting.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw e;
        }
    }
}
