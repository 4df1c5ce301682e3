package dev.imageresizer.function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.imageresizer.event.UntrustedText;
import dev.imageresizer.pipeline.Failure;
import dev.imageresizer.pipeline.Shutdown;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Gives failures the HTTP status a KafkaSource acts on. Funqy wraps every exception into a 500, which the KafkaSource
 * retries, so a bad image would be retried for minutes and block its partition. This handler runs before Quarkus' own:
 * <ul>
 * <li>{@link Failure.Rejected}: 422 with {@code kne-reason: <reason>}, which the KafkaSource sends straight to its
 * dead-letter sink, where the reason becomes the CloudEvent extension {@code reason};</li>
 * <li>a source outside {@code resizer.http.allowed-sources}: 403 (not retried either);</li>
 * <li>any failure while the application is stopping: 503, retried (it may come from the stopping itself);</li>
 * <li>{@link Failure.Transient}: 500, retried with the KafkaSource's backoff;</li>
 * <li>anything else falls through to Quarkus' error handler (500).</li>
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
        Failure failure = find(context.failure());
        if (failure == null || context.response().headWritten()) {
            context.next();
            return;
        }
        if (stopping || Shutdown.inProgress()) {
            // while the application stops, a failure may come from the stopping itself (ImageIO's shutdown hook closes
            // its streams, workers are interrupted): never a verdict on the event; 503 makes the sender retry it
            Log.infof("%s failed while shutting down, the sender will retry: %s", UntrustedText.printable(context.request().getHeader("ce-id")), failure.getMessage());
            context.response().setStatusCode(503)
                    .putHeader("content-type", "text/plain; charset=utf-8")
                    .end("shutting down: " + failure.getMessage());
            return;
        }
        if (failure instanceof Failure.Rejected rejected) {
            context.response().setStatusCode(rejected.reason() == Failure.Reason.SOURCE_NOT_ALLOWED ? 403 : 422)
                    .putHeader("kne-reason", rejected.reason().code)
                    .putHeader("content-type", "text/plain; charset=utf-8")
                    .end(rejected.getMessage());
        } else {
            Log.errorf("%s failed, the sender will retry: %s", UntrustedText.printable(context.request().getHeader("ce-id")), failure.getMessage());
            context.response().setStatusCode(500)
                    .putHeader("content-type", "text/plain; charset=utf-8")
                    .end(failure.getMessage());
        }
    }

    private static Failure find(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof Failure failure) {
                return failure;
            }
        }
        return null;
    }
}
