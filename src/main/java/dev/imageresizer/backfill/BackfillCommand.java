package dev.imageresizer.backfill;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import dev.imageresizer.failure.Failure;
import dev.imageresizer.storage.ObjectStore;
import io.quarkus.arc.Arc;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The application's entry point: the service, or with the argument {@code backfill} a one-off walk over the source
 * buckets ({@link Backfill}):
 *
 * <pre>
 * java -jar quarkus-run.jar backfill [--prefix 2026/] [--concurrency 4] [--checkpoint backfill.checkpoint] [--page-size 1000]
 * </pre>
 *
 * A backfill is configured like the service (object store, Kafka, renditions) but does not consume the topic, listens
 * on a free port, and exits when done: 0, or 2 when some objects could not be processed or the listing failed (object
 * store or Kafka unreachable; run it again), or 1 on bad arguments.
 */
@QuarkusMain
public class BackfillCommand implements QuarkusApplication {

    public static void main(String... args) {
        if (args.length > 0 && args[0].equals("backfill")) {
            // a one-off: no consumer competing for the topic, no port clash with a running instance, no warm-up
            System.setProperty("resizer.consumer.enabled", "false");
            System.setProperty("resizer.warm-up", "false");
            if (System.getProperty("quarkus.http.port") == null && System.getenv("QUARKUS_HTTP_PORT") == null) {
                System.setProperty("quarkus.http.port", "0");
            }
        }
        Quarkus.run(BackfillCommand.class, args);
    }

    @Override
    public int run(String... args) throws Exception {
        if (args.length == 0 || !args[0].equals("backfill")) {
            Quarkus.waitForExit();
            return 0;
        }
        Backfill.Request request;
        try {
            request = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("backfill: " + e.getMessage());
            System.err.println("usage: backfill [--prefix <key prefix>] [--concurrency <n>] [--checkpoint <file>] [--page-size <1-1000>]");
            return 1;
        }
        try {
            Backfill.Summary summary = Arc.container().instance(Backfill.class).get().run(request, System.out);
            return summary.failed() == 0 ? 0 : 2;
        } catch (Failure.Transient e) {
            System.out.println("backfill: stopped, run it again" + request.checkpoint().map(c -> " (it resumes after the checkpoint " + c + ")").orElse("")
                    + ": " + e.getMessage());
            return 2;
        }
    }

    static Backfill.Request parse(String... args) {
        String prefix = "";
        int concurrency = Runtime.getRuntime().availableProcessors();
        Optional<Path> checkpoint = Optional.empty();
        int pageSize = ObjectStore.MAX_PAGE_SIZE;
        for (int i = 1; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--prefix" -> prefix = value;
                case "--concurrency" -> concurrency = number(option, value);
                case "--page-size" -> pageSize = number(option, value);
                case "--checkpoint" -> checkpoint = Optional.of(Path.of(value));
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return new Backfill.Request(prefix, concurrency, checkpoint, pageSize, Duration.ofSeconds(2));
    }

    private static int number(String option, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a number, not " + value);
        }
    }
}
