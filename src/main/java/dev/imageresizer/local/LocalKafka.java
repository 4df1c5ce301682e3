package dev.imageresizer.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A single-node Apache Kafka 4.1 broker in KRaft mode (broker and controller in one process), from
 * {@code org.apache.kafka:kafka_2.13}: {@code kafka.tools.StorageTool format}, then {@code kafka.Kafka}. Data lives in
 * {@code dir}, so a broker restarted on the same directory keeps its topics and offsets.
 */
public final class LocalKafka {

    private LocalKafka() {
    }

    /**
     * The listener clients use (the controller's stays plaintext on the loopback interface).
     *
     * @param protocol {@code PLAINTEXT}, {@code SSL}, {@code SASL_PLAINTEXT} or {@code SASL_SSL}
     * @param host the host clients connect to (a TLS certificate's name)
     * @param brokerProperties what the protocol needs in {@code server.properties} (mechanisms, key store, JAAS)
     * @param formatArguments extra {@code StorageTool format} arguments, e.g. {@code --add-scram} for SCRAM users
     * @param clientProperties what a client needs to connect (used here for the admin client that waits and creates topics)
     */
    public record Listener(String protocol, String host, List<String> brokerProperties, List<String> formatArguments,
            Map<String, Object> clientProperties) {

        public static final Listener PLAINTEXT = new Listener("PLAINTEXT", "127.0.0.1", List.of(), List.of(), Map.of());

        public String bootstrapServers(int port) {
            return host + ":" + port;
        }
    }

    public static LocalServer start(Path dir, int port, int controllerPort) throws IOException, InterruptedException {
        return start(dir, port, controllerPort, Listener.PLAINTEXT);
    }

    public static LocalServer start(Path dir, int port, int controllerPort, Listener listener) throws IOException, InterruptedException {
        String classpath = ServerClasspath.of(ServerClasspath.projectDir(), "kafka");
        Files.createDirectories(dir);
        Path properties = dir.resolve("server.properties");
        List<String> lines = new ArrayList<>(List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=" + listener.protocol() + "://" + listener.bootstrapServers(port) + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=" + listener.protocol() + "://" + listener.bootstrapServers(port),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=" + listener.protocol(),
                "listener.security.protocol.map=" + listener.protocol() + ":" + listener.protocol() + ",CONTROLLER:PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=1",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0"));
        lines.addAll(listener.brokerProperties());
        lines.add("");
        Files.writeString(properties, String.join("\n", lines));
        Path log4j = dir.resolve("log4j2.properties");
        Files.writeString(log4j, String.join("\n",
                "rootLogger.level=WARN",
                "rootLogger.appenderRef.stdout.ref=STDOUT",
                "appender.stdout.name=STDOUT",
                "appender.stdout.type=Console",
                "appender.stdout.layout.type=PatternLayout",
                "appender.stdout.layout.pattern=[%d] %p %m (%c)%n",
                "logger.kafka.name=kafka",
                "logger.kafka.level=INFO",
                ""));
        if (!Files.exists(dir.resolve("data/meta.properties"))) {
            List<String> format = new ArrayList<>(List.of("format", "-t", clusterId(), "-c", properties.toString()));
            format.addAll(listener.formatArguments());
            LocalServer.run("kafka-format", dir, classpath, "kafka.tools.StorageTool", format);
        }
        LocalServer server = LocalServer.start("kafka", dir, classpath,
                List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-Djava.awt.headless=true",
                        "-Dlog4j2.configurationFile=" + log4j.toUri()),
                "kafka.Kafka", List.of(properties.toString()), port, Duration.ofSeconds(90));
        awaitBroker(listener.bootstrapServers(port), listener.clientProperties(), Duration.ofSeconds(60));
        return server;
    }

    /** Creates the topics that do not exist yet. */
    public static void createTopics(String bootstrapServers, int partitions, String... topics) throws IOException {
        createTopics(bootstrapServers, Map.of(), partitions, topics);
    }

    /** Creates the topics that do not exist yet, connecting with {@code clientProperties} (security settings). */
    public static void createTopics(String bootstrapServers, Map<String, Object> clientProperties, int partitions, String... topics) throws IOException {
        try (Admin admin = admin(bootstrapServers, clientProperties)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = java.util.Arrays.stream(topics).filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, (short) 1)).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("creating topics " + List.of(topics) + " failed", e);
        }
    }

    private static void awaitBroker(String bootstrapServers, Map<String, Object> clientProperties, Duration timeout) throws IOException {
        try (Admin admin = admin(bootstrapServers, clientProperties)) {
            admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("Kafka at " + bootstrapServers + " did not answer", e);
        }
    }

    private static Admin admin(String bootstrapServers, Map<String, Object> clientProperties) {
        Map<String, Object> config = new HashMap<>(clientProperties);
        config.putAll(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
        return Admin.create(config);
    }

    /** A cluster id as Kafka's {@code Uuid.randomUuid()} makes them: 16 random bytes, URL-safe Base64, not starting with '-'. */
    private static String clusterId() {
        SecureRandom random = new SecureRandom();
        byte[] bytes = new byte[16];
        String id;
        do {
            random.nextBytes(bytes);
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (id.startsWith("-"));
        return id;
    }
}
