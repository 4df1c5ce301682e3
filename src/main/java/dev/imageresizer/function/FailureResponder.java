package dev.imageresizer.function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.imageresizer.event.UntrustedText;
import dev.imageresizer.failure.Failure;
import dev.imageresizer.pipeline.Verdict;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Gives failures the HTTP status a KafkaSource acts on, following {@link Verdict}, as the consumer does. Funqy wraps every exception into a 500, which the KafkaSource
 * retries, so a bad image would be retried for minutes and block its partition. This handler runs before Quarkus' own:
 * <ul>
 * <li>{@link Failure.Rejected}: 422 with {@code kne-reason: <reason>}, which the KafkaSource sends straight to its
 * dead-letter sink, where the reason becomes the CloudEvent extension {@code reason};</li>
 * <li>a source outside {@code resizer.http.allowed-sources}: 403 (not retried either);</li>
 * <li>any failure while the application is stopping: 503, retried (it may come from the stopping itself);</li>
 * <li>{@link Failure.Transient}: 500, retried with the KafkaSource's backoff;</li>
 * <li>anything else is a bug of ours outside the imaging steps (which turn every decoder failure into a rejection), or
 * an HTTP error of the request itself (404, 413): Quarkus' error handler answers it (500 for a bug, with its stack
 * trace in the log).</li>
 * </ul>
 */
@ApplicationScoped
public class FailureResponder {

    private volatile boolean stopping;

    void register(@Observes Router router) {
        router.route().order(-1000).failureHandler(this::respond);
    }

    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    void respond(RoutingContext context) {
        Verdict verdict = context.failure() == null ? null : Verdict.of(context.failure(), stopping);
        if (verdict == null || verdict.kind() == Verdict.Kind.BUG || context.response().headWritten()) {
            // an HTTP error of the request itself (404, 413...) or a bug of ours: Quarkus answers it (500 for a bug)
            context.next();
            return;
        }
        String eventId = UntrustedText.printable(context.request().getHeader("ce-id"));
        switch (verdict.kind()) {
            case REFUSED -> {
                Failure.Rejected rejected = verdict.rejection();
                context.response().putHeader("kne-reason", rejected.reason().code);
                answer(context, rejected.reason() == Failure.Reason.SOURCE_NOT_ALLOWED ? 403 : 422, rejected.getMessage());
            }
            case SHUTTING_DOWN -> {
                Log.infof("%s failed while shutting down, the sender will retry: %s", eventId, verdict.message());
                answer(context, 503, "shutting down: " + verdict.message());
            }
            case RETRY -> {
                Log.errorf("%s failed, the sender will retry: %s", eventId, verdict.message());
                answer(context, 500, verdict.message());
            }
        }
    }

    private static void answer(RoutingContext context, int status, String body) {
        context.response().setStatusCode(status).putHeader("content-type", "text/plain; charset=utf-8").end(body);
    }
}
