package dev.imageresizer.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.imageresizer.config.ResizerConfig;
import io.quarkiverse.minio.client.OptionalHttpClientProducer;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;

/**
 * The MinIO client's HTTP client, with timeouts below the KafkaSource's per-attempt timeout rather than the SDK's five
 * minutes:
 * <ul>
 * <li>plain http ({@code quarkus.minio.secure=false}, the usual in-cluster setup): OkHttp without TLS, which spares
 * every cold start the loading of the JDK's CA certificates (about 230 ms of a scale-from-zero on two cores);</li>
 * <li>https with {@code resizer.object-store.trust-store}: TLS trusting exactly the CAs in that PEM file, with
 * certificate and host name verification as always (there is deliberately no switch to turn verification off);</li>
 * <li>https otherwise: the extension's own client, trusting the JDK's CAs.</li>
 * </ul>
 */
@Alternative
@Priority(1)
@Singleton
public class ObjectStoreHttpClient implements OptionalHttpClientProducer {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration IO_TIMEOUT = Duration.ofSeconds(60);

    private final boolean secure;
    private final Optional<Path> trustStore;

    ObjectStoreHttpClient(@ConfigProperty(name = "quarkus.minio.secure", defaultValue = "true") boolean secure, ResizerConfig config) {
        this.secure = secure;
        this.trustStore = config.objectStore().trustStore();
    }

    @Override
    public Optional<OkHttpClient> apply(String clientName) {
        if (!secure) {
            return Optional.of(builder().connectionSpecs(List.of(ConnectionSpec.CLEARTEXT)).protocols(List.of(Protocol.HTTP_1_1)).build());
        }
        return trustStore.map(ObjectStoreHttpClient::trusting);
    }

    /**
     * An https client that trusts the CA certificates in {@code pem} and nothing else.
     *
     * @throws IllegalStateException naming the file and the key when it cannot be read or holds no certificate
     */
    public static OkHttpClient trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalStateException("resizer.object-store.trust-store: no certificate in " + pem);
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            X509TrustManager trust = (X509TrustManager) factory.getTrustManagers()[0];
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] { trust }, null);
            return builder().sslSocketFactory(tls.getSocketFactory(), trust).build();
        } catch (IOException e) {
            throw new UncheckedIOException("resizer.object-store.trust-store: cannot read " + pem, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("resizer.object-store.trust-store: " + pem + " is not a PEM file of certificates (" + e.getMessage() + ")", e);
        }
    }

    private static OkHttpClient.Builder builder() {
        return new OkHttpClient.Builder().connectTimeout(CONNECT_TIMEOUT).readTimeout(IO_TIMEOUT).writeTimeout(IO_TIMEOUT);
    }
}
