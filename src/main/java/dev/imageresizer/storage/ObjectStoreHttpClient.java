package dev.imageresizer.storage;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkiverse.minio.client.OptionalHttpClientProducer;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/**
 * The MinIO client's HTTP client when the object store is reached over plain http ({@code quarkus.minio.secure=false},
 * the usual in-cluster setup): OkHttp without TLS, which spares every cold start the loading of the JDK's CA
 * certificates (about 230 ms of a scale-from-zero on two cores), and with timeouts below the KafkaSource's per-attempt
 * timeout rather than the SDK's five minutes. With https the extension's own client is used.
 */
@Alternative
@Priority(1)
@Singleton
public class CleartextHttpClient implements OptionalHttpClientProducer {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(60);

    private final boolean secure;

    CleartextHttpClient(@ConfigProperty(name = "quarkus.minio.secure", defaultValue = "true") boolean secure) {
        this.secure = secure;
    }

    @Override
    public Optional<OkHttpClient> apply(String clientName) {
        if (secure) {
            return Optional.empty();
        }
        return Optional.of(new OkHttpClient.Builder()
                .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT))
                .protocols(List.of(Protocol.HTTP_1_1))
                .connectTimeout(CONNECT_TIMEOUT)
                .readTimeout(IO_TIMEOUT)
                .writeTimeout(IO_TIMEOUT)
                .build());
    }
}
