package dev.imageresizer.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

/**
 * Validates Kubernetes manifests against the {@code openAPIV3Schema} of the real CRDs in {@code src/test/resources/fixtures/knative-crds},
 * strictly: as the API server's strict field validation does ({@code kubectl apply --validate=strict}), an unknown field
 * is an error, not silently pruned. Kinds without a CRD there get the schemas of {@link #BUILT_IN}.
 */
public final class CrdSchemas {

    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Schemas for the kinds that have no CRD among the fixtures: core ConfigMap and Secret (Kubernetes' own types), and
     * KafkaSink, whose spec is transcribed from eventing-kafka-broker's CRD
     * ({@code control-plane/config/eventing-kafka-broker/100-sink/100-kafka-sink.yaml}, v1alpha1).
     */
    static final Map<String, String> BUILT_IN = Map.of(
            "v1/ConfigMap", """
                    {"type":"object","required":["apiVersion","kind","metadata"],"properties":{
                      "apiVersion":{"type":"string"},"kind":{"type":"string"},"metadata":{"type":"object"},
                      "data":{"type":"object","additionalProperties":{"type":"string"}},
                      "binaryData":{"type":"object","additionalProperties":{"type":"string"}},
                      "immutable":{"type":"boolean"}}}""",
            "v1/Secret", """
                    {"type":"object","required":["apiVersion","kind","metadata"],"properties":{
                      "apiVersion":{"type":"string"},"kind":{"type":"string"},"metadata":{"type":"object"},
                      "type":{"type":"string"},
                      "data":{"type":"object","additionalProperties":{"type":"string"}},
                      "stringData":{"type":"object","additionalProperties":{"type":"string"}},
                      "immutable":{"type":"boolean"}}}""",
            "eventing.knative.dev/v1alpha1/KafkaSink", """
                    {"type":"object","required":["apiVersion","kind","metadata","spec"],"properties":{
                      "apiVersion":{"type":"string"},"kind":{"type":"string"},"metadata":{"type":"object"},
                      "spec":{"type":"object","required":["topic","bootstrapServers"],"properties":{
                        "topic":{"type":"string"},
                        "numPartitions":{"type":"integer"},
                        "replicationFactor":{"type":"integer"},
                        "bootstrapServers":{"type":"array","minItems":1,"items":{"type":"string"}},
                        "contentMode":{"type":"string","enum":["binary","structured"]},
                        "auth":{"type":"object","properties":{"secret":{"type":"object","properties":{
                          "ref":{"type":"object","required":["name"],"properties":{"name":{"type":"string"}}}}}}}}},
                      "status":{"type":"object"}}}""");

    private final Map<String, JsonSchema> schemas = new HashMap<>();

    public CrdSchemas(Path crdDirectory) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
        try (Stream<Path> files = Files.list(crdDirectory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                JsonNode crd = YAML.readTree(file.toFile());
                String group = crd.at("/spec/group").asText();
                String kind = crd.at("/spec/names/kind").asText();
                for (JsonNode version : crd.at("/spec/versions")) {
                    if (version.path("served").asBoolean()) {
                        JsonNode schema = strict(version.at("/schema/openAPIV3Schema"), true);
                        schemas.put(group + "/" + version.get("name").asText() + "/" + kind, factory.getSchema(schema));
                    }
                }
            }
            for (Map.Entry<String, String> builtIn : BUILT_IN.entrySet()) {
                schemas.put(builtIn.getKey(), factory.getSchema(strict(JSON.readTree(builtIn.getValue()), true)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the validation errors, empty when the manifest is valid; a kind without a schema is an error too */
    public Set<String> validate(JsonNode manifest) {
        String key = manifest.path("apiVersion").asText() + "/" + manifest.path("kind").asText();
        JsonSchema schema = schemas.get(key);
        if (schema == null) {
            return Set.of("no schema for " + key + "; known: " + schemas.keySet());
        }
        return schema.validate(manifest).stream().map(ValidationMessage::getMessage).collect(Collectors.toSet());
    }

    /**
     * The schema as the API server applies it with strict field validation: objects that list their properties accept
     * no others unless marked {@code x-kubernetes-preserve-unknown-fields}; {@code nullable} becomes a null type;
     * the root and embedded resources accept {@code apiVersion}, {@code kind} and {@code metadata}; Kubernetes'
     * extension keywords and formats are dropped after use.
     */
    static JsonNode strict(JsonNode schema, boolean root) {
        if (schema.isArray()) {
            ArrayNode array = JSON.createArrayNode();
            schema.forEach(item -> array.add(strict(item, false)));
            return array;
        }
        if (!schema.isObject()) {
            return schema;
        }
        ObjectNode out = JSON.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> fields = schema.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = field.getKey();
            if (name.startsWith("x-kubernetes-") || name.equals("nullable") || name.equals("format") || name.equals("description")) {
                continue;
            }
            if (name.equals("properties")) {
                ObjectNode properties = out.putObject("properties");
                field.getValue().fields().forEachRemaining(p -> properties.set(p.getKey(), strict(p.getValue(), false)));
            } else {
                out.set(name, strict(field.getValue(), false));
            }
        }
        if ((root || schema.path("x-kubernetes-embedded-resource").asBoolean()) && out.has("properties")) {
            ObjectNode properties = (ObjectNode) out.get("properties");
            for (String implicit : List.of("apiVersion", "kind")) {
                if (!properties.has(implicit)) {
                    properties.putObject(implicit).put("type", "string");
                }
            }
            if (!properties.has("metadata")) {
                properties.putObject("metadata").put("type", "object");
            }
        }
        boolean preserveUnknown = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean();
        if (out.has("properties") && !out.has("additionalProperties") && !preserveUnknown) {
            out.put("additionalProperties", false);
        }
        if (schema.path("nullable").asBoolean() && out.has("type") && out.get("type").isTextual()) {
            String type = out.get("type").asText();
            out.putArray("type").add(type).add("null");
        }
        return out;
    }
}
