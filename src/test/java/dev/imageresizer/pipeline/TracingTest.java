package dev.imageresizer.pipeline;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.imageresizer.local.MinioNotifications;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.IntegrationTest;
import dev.imageresizer.support.KafkaSourceRequest;
import dev.imageresizer.support.LocalServersResource;
import dev.imageresizer.support.Topic;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** A CloudEvent's {@code traceparent} continued through the pipeline's spans and on to the announcement. */
@QuarkusTest
@WithTestResource(LocalServersResource.class)
class TracingTest extends IntegrationTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static long offset = 95_000;

    @Inject
    InMemorySpanExporter spans;

    @Test
    void theCloudEventsTraceIsContinuedStepByStepAndAnnounced() throws Exception {
        ObjectState photo = upload(prefix + "traced.jpg", Images.fixture("photos/leuven.jpg"), "image/jpeg");
        spans.reset();

        KafkaSourceRequest.request(MinioNotifications.recordKey(IMAGES, photo.key()), offset++)
                .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01")
                .body(MinioNotifications.event("s3:ObjectCreated:Put", photo, Instant.now())).post("/").then().statusCode(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> traced().stream().anyMatch(s -> s.getName().equals("resize")));
        List<SpanData> trace = traced();
        SpanData resize = trace.stream().filter(s -> s.getName().equals("resize")).findFirst().orElseThrow();
        assertEquals(photo.key(), resize.getAttributes().asMap().entrySet().stream()
                .filter(e -> e.getKey().getKey().equals("aws.s3.key")).findFirst().orElseThrow().getValue());
        List<String> names = trace.stream().map(s -> s.getName() + " (" + s.getKind() + ")").toList();
        Map<String, SpanData> steps = trace.stream().filter(s -> s.getParentSpanId().equals(resize.getSpanId()) && s.getKind() == SpanKind.INTERNAL)
                .collect(Collectors.toMap(SpanData::getName, s -> s, (a, b) -> a));
        assertEquals(List.of("lookup", "fetch", "inspect", "decode", "render", "store", "announce").stream().sorted().toList(),
                steps.keySet().stream().sorted().toList(), names.toString());
        assertTrue(trace.stream().anyMatch(s -> s.getParentSpanId().equals(resize.getSpanId()) && s.getKind() == SpanKind.PRODUCER
                && s.getName().equals("image-renditions publish")), "the announcement is sent under the record's span: " + names);
        assertTrue(steps.get("fetch").getEndEpochNanos() <= steps.get("decode").getStartEpochNanos(), "steps in order");
        assertTrue(steps.get("decode").getEndEpochNanos() <= steps.get("render").getStartEpochNanos(), "steps in order");
        // the record's span hangs under the HTTP request's, which continues the caller's
        SpanData server = trace.stream().filter(s -> s.getSpanId().equals(resize.getParentSpanId())).findFirst().orElseThrow(() -> new AssertionError(names.toString()));
        assertEquals(CALLER_SPAN, server.getParentSpanId());

        try (Topic renditions = new Topic(bootstrapServers, LocalServersResource.RENDITIONS_TOPIC)) {
            ConsumerRecord<String, byte[]> announcement = renditions.await(r -> (IMAGES + "/" + photo.key()).equals(r.key()), Duration.ofSeconds(30));
            String traceparent = Topic.header(announcement, "traceparent");
            assertTrue(traceparent != null && traceparent.contains(TRACE_ID), "announcement traceparent: " + traceparent);
        }
    }

    @Test
    void aRejectedRecordsSpanSaysWhy() {
        ObjectState text = upload(prefix + "notes.jpg", "plain text".getBytes(), "image/jpeg");
        spans.reset();

        KafkaSourceRequest.request(MinioNotifications.recordKey(IMAGES, text.key()), offset++)
                .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01")
                .body(MinioNotifications.event("s3:ObjectCreated:Put", text, Instant.now())).post("/").then().statusCode(422);

        await().atMost(Duration.ofSeconds(10)).until(() -> traced().stream().anyMatch(s -> s.getName().equals("resize")));
        SpanData resize = traced().stream().filter(s -> s.getName().equals("resize")).findFirst().orElseThrow();
        assertEquals(StatusCode.ERROR, resize.getStatus().getStatusCode());
        assertEquals("rejected: notanimage", resize.getStatus().getDescription());
    }

    private List<SpanData> traced() {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(TRACE_ID)).toList();
    }
}
