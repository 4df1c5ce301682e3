package dev.imageresizer.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.imageresizer.local.ServerClasspath;
import dev.imageresizer.support.CrdSchemas;
import dev.imageresizer.support.Images;

/**
 * The deployment in {@code knative/}: every manifest valid against the real CRDs (strictly: unknown fields fail), and
 * the cross-references a cluster would only reveal at run time.
 */
class KnativeManifestsTest {

    private static final Path KNATIVE = ServerClasspath.projectDir().resolve("knative");
    private static final CrdSchemas SCHEMAS = new CrdSchemas(Images.FIXTURES.resolve("knative-crds"));
    private static final long MI = 1024 * 1024;

    record Manifest(Path file, JsonNode document) {
        String kind() {
            return document.path("kind").asText();
        }

        String name() {
            return document.at("/metadata/name").asText();
        }

        @Override
        public String toString() {
            return KNATIVE.relativize(file) + " " + kind() + "/" + name();
        }
    }

    static List<Manifest> manifests() throws IOException {
        List<Manifest> manifests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(KNATIVE)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml")).sorted().toList()) {
                manifests.add(new Manifest(file, CrdSchemas.YAML.readTree(file.toFile())));
            }
        }
        return manifests;
    }

    private static Manifest only(String kind) throws IOException {
        List<Manifest> found = manifests().stream().filter(m -> m.kind().equals(kind) && m.file().getParent().equals(KNATIVE)).toList();
        assertEquals(1, found.size(), "one " + kind + " in knative/");
        return found.get(0);
    }

    private static Manifest named(String kind, String name) throws IOException {
        return manifests().stream().filter(m -> m.kind().equals(kind) && m.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " named " + name + " in knative/"));
    }

    private static Properties application() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(ServerClasspath.projectDir().resolve("src/main/resources/application.properties"))) {
            properties.load(in);
        }
        return properties;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("manifests")
    void everyManifestIsValidAgainstItsSchema(Manifest manifest) throws IOException {
        assertEquals(Set.of(), SCHEMAS.validate(manifest.document()));
        assertTrue(Files.readString(manifest.file()).startsWith("#"), "each file starts with a comment naming what to replace");
    }

    @Test
    void unknownFieldsAndWrongTypesFail() throws IOException {
        ObjectNode service = only("Service").document().deepCopy();
        ((ObjectNode) service.at("/spec/template/spec/containers/0")).put("imagePullPolicyy", "Always");
        assertFalse(SCHEMAS.validate(service).isEmpty(), "a misspelt container field");

        ObjectNode source = only("KafkaSource").document().deepCopy();
        ((ObjectNode) source.at("/spec/delivery")).put("retries", 5);
        assertFalse(SCHEMAS.validate(source).isEmpty(), "delivery.retries instead of retry");

        ObjectNode typed = only("KafkaSource").document().deepCopy();
        ((ObjectNode) typed.at("/spec/delivery")).put("retry", "five");
        assertFalse(SCHEMAS.validate(typed).isEmpty(), "retry must be an integer");

        ObjectNode sink = only("KafkaSink").document().deepCopy();
        ((ObjectNode) sink.get("spec")).put("contentMode", "raw");
        assertFalse(SCHEMAS.validate(sink).isEmpty(), "contentMode is binary or structured");
    }

    @Test
    void theServiceScalesToZeroAndIsProbedOnHealth() throws IOException {
        JsonNode template = only("Service").document().at("/spec/template");
        assertEquals("0", template.at("/metadata/annotations/autoscaling.knative.dev~1min-scale").asText());
        assertTrue(template.at("/metadata/annotations/autoscaling.knative.dev~1max-scale").asInt() > 0);
        JsonNode container = template.at("/spec/containers/0");
        assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
        assertEquals(8080, container.at("/ports/0/containerPort").asInt());
        assertTrue(container.at("/resources/limits/memory").isTextual());
    }

    @Test
    void theServiceTakesConfigFromTheConfigMapAndCredentialsFromTheSecret() throws IOException {
        JsonNode envFrom = only("Service").document().at("/spec/template/spec/containers/0/envFrom");
        assertEquals(only("ConfigMap").name(), envFrom.at("/0/configMapRef/name").asText());
        assertEquals(only("Secret").name(), envFrom.at("/1/secretRef/name").asText());
        JsonNode secret = only("Secret").document().get("stringData");
        secret.fields().forEachRemaining(e -> assertTrue(e.getValue().asText().startsWith("REPLACE_"), "a template, no real secret: " + e.getKey()));
        assertTrue(only("ConfigMap").document().get("data").has("QUARKUS_MINIO_HOST"));
    }

    /** Every RESIZER_ key of the ConfigMap is a property of the configuration page (docs/configuration.md). */
    @Test
    void theConfigMapSetsOnlyDocumentedProperties() throws IOException {
        Set<String> documented = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `(resizer\\.[a-z.-]+)`").matcher(Files.readString(ServerClasspath.projectDir().resolve("docs/configuration.md")));
        while (row.find()) {
            documented.add(row.group(1).replace('.', '_').replace('-', '_').toUpperCase());
        }
        only("ConfigMap").document().get("data").fieldNames().forEachRemaining(key -> {
            if (key.startsWith("RESIZER_")) {
                assertTrue(documented.contains(key), key + " is not in the configuration page docs/configuration.md " + documented);
            }
        });
    }

    @Test
    void theDirectConsumerIsOffWhereTheKafkaSourceDelivers() throws IOException {
        assertEquals("false", only("ConfigMap").document().at("/data/RESIZER_CONSUMER_ENABLED").asText());
    }

    @Test
    void theKafkaSourceDeliversTheAppsTopicToTheService() throws IOException {
        JsonNode spec = only("KafkaSource").document().get("spec");
        Manifest service = only("Service");
        assertEquals("serving.knative.dev/v1", spec.at("/sink/ref/apiVersion").asText());
        assertEquals("Service", spec.at("/sink/ref/kind").asText());
        assertEquals(service.name(), spec.at("/sink/ref/name").asText());
        Properties app = application();
        assertEquals(List.of(app.getProperty("mp.messaging.incoming.bucket-events.topic")), textList(spec.get("topics")));
        assertEquals(app.getProperty("mp.messaging.incoming.bucket-events.group.id"), spec.get("consumerGroup").asText());
        assertEquals("earliest", spec.get("initialOffset").asText());
        assertFalse(textList(spec.get("bootstrapServers")).isEmpty());
    }

    @Test
    void deliveryRetriesThenDeadLettersWithinTheServiceTimeout() throws IOException {
        long serviceTimeout = only("Service").document().at("/spec/template/spec/timeoutSeconds").asLong();
        for (Manifest manifest : manifests()) {
            JsonNode delivery = manifest.document().at("/spec/delivery");
            if (delivery.isMissingNode()) {
                continue;
            }
            assertTrue(delivery.path("retry").asInt() > 0, manifest + ": a delivery block without retry means no retries");
            assertTrue(delivery.has("backoffPolicy") && delivery.has("backoffDelay"), manifest + ": explicit backoff");
            Duration timeout = Duration.parse(delivery.get("timeout").asText());
            assertTrue(timeout.getSeconds() < serviceTimeout, manifest + ": per-attempt timeout " + timeout + " must be below the Service's " + serviceTimeout + " s");
            JsonNode deadLetter = delivery.at("/deadLetterSink/ref");
            assertFalse(deadLetter.isMissingNode(), manifest + ": without a dead-letter sink exhausted events are dropped");
            Manifest sink = named(deadLetter.get("kind").asText(), deadLetter.get("name").asText());
            assertEquals(sink.document().get("apiVersion").asText(), deadLetter.get("apiVersion").asText());
        }
    }

    @Test
    void deadLettersGoToTheTopicTheConsumerUses() throws IOException {
        assertEquals(application().getProperty("mp.messaging.incoming.bucket-events.dead-letter-queue.topic"),
                only("KafkaSink").document().at("/spec/topic").asText());
        assertEquals("binary", only("KafkaSink").document().at("/spec/contentMode").asText());
    }

    @Test
    void shutdownFinishesInFlightEventsWithinTheGracePeriod() throws IOException {
        long serviceTimeout = only("Service").document().at("/spec/template/spec/timeoutSeconds").asLong();
        Duration shutdown = Duration.parse("PT" + only("ConfigMap").document().at("/data/QUARKUS_SHUTDOWN_TIMEOUT").asText().toUpperCase());
        assertTrue(shutdown.getSeconds() < serviceTimeout, "Quarkus' shutdown timeout below Knative's grace period (timeoutSeconds)");
    }

    /**
     * containerConcurrency fits the memory limit: the heap holds the application plus, per event, the largest original
     * (max-source-size) and twice its largest decoded image, which decoding bounds to below four times the largest
     * rendition a side, and at most max-source-megapixels.
     */
    @Test
    void containerConcurrencyFitsTheMemoryLimit() throws IOException {
        JsonNode spec = only("Service").document().at("/spec/template/spec");
        JsonNode config = only("ConfigMap").document().get("data");
        long limit = mebibytes(spec.at("/containers/0/resources/limits/memory").asText()) * MI;
        Matcher percentage = Pattern.compile("MaxRAMPercentage=(\\d+)").matcher(spec.at("/containers/0/env/0/value").asText());
        assertTrue(percentage.find(), "the heap is set as a share of the limit");
        long heap = limit * Long.parseLong(percentage.group(1)) / 100;
        long maxSource = mebibytes(config.get("RESIZER_LIMITS_MAX_SOURCE_SIZE").asText()) * MI;
        long maxPixels = config.get("RESIZER_LIMITS_MAX_SOURCE_MEGAPIXELS").asLong() * 1_000_000L;
        long largestBox = largestRenditionBox(application());
        long decodedPixels = Math.min(maxPixels, (4 * largestBox) * (4 * largestBox));
        long perEvent = maxSource + 2 * 4 * decodedPixels + 32 * MI;
        long application = 160 * MI;
        int concurrency = spec.get("containerConcurrency").asInt();

        assertTrue(concurrency >= 1);
        assertTrue(application + concurrency * perEvent <= heap, String.format("%d events of %d MiB plus %d MiB exceed a %d MiB heap",
                concurrency, perEvent / MI, application / MI, heap / MI));
        assertTrue(application + (concurrency + 1) * perEvent > heap, "one more event would fit: raise containerConcurrency or lower the limit");
    }

    @Test
    void theKustomizationListsEveryFileAndSetsTheServiceImage() throws IOException {
        for (Path dir : List.of(KNATIVE, KNATIVE.resolve("broker"))) {
            JsonNode kustomization = CrdSchemas.YAML.readTree(dir.resolve("kustomization.yaml").toFile());
            Set<String> listed = new TreeSet<>(textList(kustomization.get("resources")));
            Set<String> files;
            try (Stream<Path> list = Files.list(dir)) {
                files = list.filter(f -> f.toString().endsWith(".yaml") && !f.endsWith("kustomization.yaml"))
                        .map(f -> f.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
            }
            listed.remove("..");
            assertEquals(files, listed, dir + ": every file listed, every listed file present");
            assertTrue(Files.readString(dir.resolve("kustomization.yaml")).startsWith("#"));
        }
        JsonNode kustomization = CrdSchemas.YAML.readTree(KNATIVE.resolve("kustomization.yaml").toFile());
        String image = only("Service").document().at("/spec/template/spec/containers/0/image").asText();
        JsonNode images = kustomization.get("images");
        assertNotNull(images);
        List<String> names = new ArrayList<>();
        images.forEach(entry -> names.add(entry.path("name").asText()));
        assertTrue(names.contains(image), "kustomization images[].name must match the Service's image " + image + ": " + names);
        assertFalse(kustomization.path("namespace").asText().isEmpty());
    }

    /** The Broker variant patches the base KafkaSource to the Broker; the Trigger hands the events to the Service. */
    @Test
    void theBrokerVariantRoutesThroughABrokerAndATrigger() throws IOException {
        JsonNode kustomization = CrdSchemas.YAML.readTree(KNATIVE.resolve("broker/kustomization.yaml").toFile());
        JsonNode patch = kustomization.at("/patches/0");
        Manifest source = named(patch.at("/target/kind").asText(), patch.at("/target/name").asText());
        assertEquals(patch.at("/target/group").asText() + "/" + patch.at("/target/version").asText(), source.document().get("apiVersion").asText());
        ObjectNode patched = source.document().deepCopy();
        for (JsonNode operation : CrdSchemas.YAML.readTree(patch.get("patch").asText())) {
            assertEquals("replace", operation.get("op").asText());
            String path = operation.get("path").asText();
            JsonNode parent = patched.at(path.substring(0, path.lastIndexOf('/')));
            assertTrue(parent.isObject() && parent.has(path.substring(path.lastIndexOf('/') + 1)), "the patch replaces an existing field " + path);
            ((ObjectNode) parent).set(path.substring(path.lastIndexOf('/') + 1), operation.get("value"));
        }
        assertEquals(Set.of(), SCHEMAS.validate(patched), "the patched KafkaSource is valid");

        Manifest broker = named("Broker", patched.at("/spec/sink/ref/name").asText());
        assertEquals(broker.document().get("apiVersion").asText(), patched.at("/spec/sink/ref/apiVersion").asText());
        assertEquals("Kafka", broker.document().at("/metadata/annotations/eventing.knative.dev~1broker.class").asText());
        Manifest trigger = besides("Trigger", broker);
        assertEquals(broker.name(), trigger.document().at("/spec/broker").asText());
        assertEquals("dev.knative.kafka.event", trigger.document().at("/spec/filter/attributes/type").asText());
        assertEquals(only("Service").name(), trigger.document().at("/spec/subscriber/ref/name").asText());
        assertEquals("Service", trigger.document().at("/spec/subscriber/ref/kind").asText());
    }

    /** The one manifest of {@code kind} in the same folder as {@code near}. */
    private static Manifest besides(String kind, Manifest near) throws IOException {
        List<Manifest> found = manifests().stream().filter(m -> m.kind().equals(kind) && m.file().getParent().equals(near.file().getParent())).toList();
        assertEquals(1, found.size());
        return found.get(0);
    }

    private static long largestRenditionBox(Properties app) {
        return app.stringPropertyNames().stream()
                .filter(key -> key.matches("resizer\\.renditions\\.[^.]+\\.(width|height)"))
                .mapToLong(key -> Long.parseLong(app.getProperty(key))).max().orElseThrow();
    }

    /** Kubernetes quantities and Quarkus memory sizes in MiB: 1536Mi, 1Gi, 64M. */
    private static long mebibytes(String size) {
        Matcher m = Pattern.compile("(\\d+)(Mi|Gi|M|G)").matcher(size);
        assertTrue(m.matches(), "a size in Mi, Gi, M or G: " + size);
        long value = Long.parseLong(m.group(1));
        return Map.of("Mi", 1L, "M", 1L, "Gi", 1024L, "G", 1024L).get(m.group(2)) * value;
    }

    private static List<String> textList(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
