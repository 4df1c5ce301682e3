package dev.imageresizer.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLHandshakeException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.imageresizer.imaging.ImageData;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.TestCertificates;
import dev.imageresizer.support.TestServers;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import okhttp3.OkHttpClient;

/**
 * The object store over https with a private CA, end to end: the real S3 server (S3Proxy) serving TLS only, with a
 * self-signed certificate for {@code localhost}; the MinIO clients built with the HTTP client
 * {@code resizer.object-store.trust-store} gives them; our {@link ObjectStore} storing and fetching through them.
 */
class ObjectStoreOverTlsTest {

    @TempDir
    static Path dir;
    private static TestCertificates certificates;
    private static TestServers s3;

    @BeforeAll
    static void startTlsServer() throws Exception {
        certificates = TestCertificates.localhost(dir);
        s3 = TestServers.builder().withoutKafka().s3Tls(certificates).buckets().start(dir);
    }

    @AfterAll
    static void stop() {
        s3.close();
    }

    @Test
    void storesAndFetchesOverTlsTrustingThePrivateCa() throws Exception {
        OkHttpClient http = ObjectStoreHttpClient.trusting(certificates.pem());
        ObjectStore store = store(http);
        byte[] photo = Images.fixture("photos/leuven.jpg");

        store.ensureBucket("tls");
        store.awaitAll(List.of(store.putAsync("tls", new ObjectStore.Put("small/photo.jpg", photo, "image/jpeg", Map.of("width", "751")))));

        try (Original original = store.fetch("tls", "small/photo.jpg", Long.MAX_VALUE, Long.MAX_VALUE).orElseThrow()) {
            assertArrayEquals(photo, ((ImageData.InMemory) original.data()).bytes());
        }
        assertEquals("751", store.statAll("tls", List.of("small/photo.jpg")).get("small/photo.jpg").orElseThrow().metadata().get("width"));
    }

    @Test
    void withTheJdksCasAloneTheServerIsNotTrusted() {
        ObjectStore store = store(new OkHttpClient());

        RuntimeException failure = assertThrows(RuntimeException.class, () -> store.ensureBucket("tls"));

        boolean handshake = false;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            handshake |= t instanceof SSLHandshakeException;
        }
        assertTrue(handshake, "expected a failed TLS handshake, got " + failure);
    }

    private static ObjectStore store(OkHttpClient http) {
        return new ObjectStore(MinioClient.builder().endpoint(s3.s3Endpoint()).credentials(s3.accessKey(), s3.secretKey()).httpClient(http).build(),
                MinioAsyncClient.builder().endpoint(s3.s3Endpoint()).credentials(s3.accessKey(), s3.secretKey()).httpClient(http).build());
    }
}
