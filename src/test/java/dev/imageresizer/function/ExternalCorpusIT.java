package dev.imageresizer.function;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.imageresizer.imaging.Heif;
import dev.imageresizer.local.MinioNotifications;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.KafkaSourceRequest;
import dev.imageresizer.support.LocalServersResource;
import dev.imageresizer.support.PackagedApp;
import dev.imageresizer.support.Store;
import io.minio.MinioClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.response.Response;

/**
 * Every file of the external corpus (src/test/resources/external: the test images of Pillow, image-rs, libtiff,
 * libpng, libjpeg-turbo, libvips and bmpsuite; nobody here wrote them) through the packaged application, as a KafkaSource
 * delivers it: each gets its renditions or a 422 with a reason, never a 5xx, never in more than 10 s. Each verdict is
 * held against libvips' on the same file ({@code vips.tsv}, from src/test/external/vips-references.py): a file libvips
 * decodes gets renditions here that look like libvips' own thumbnail (PSNR at 16x16, for renditions that large), or
 * {@code known-differences.tsv} says why not, one line per file (and {@code known-differences-native.tsv}, for the native
 * executable only); a line there that no longer holds fails too. The
 * verdict table is written to target/external-corpus.md (docs/conformance.md shows it).
 */
@QuarkusIntegrationTest
@WithTestResource(LocalServersResource.class)
class ExternalCorpusIT {

    private static final Path ROOT = Path.of("src/test/resources/external");
    private static final long MAX_MILLIS = 10_000;
    /** Below this PSNR (dB) against libvips' thumbnail at 16x16, a rendition does not show the same picture. */
    private static final double MIN_PSNR = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    record Vips(boolean decoded, String loader, byte[] reference) {
    }

    record Outcome(String suite, String file, String verdict, long millis, Double psnr, Vips vips) {
        boolean processed() {
            return verdict.equals("processed");
        }
    }

    @Test
    void everyFileGetsRenditionsOrARefusalInTime() throws Exception {
        Map<String, Vips> vips = vips();
        Map<String, String> known = tsv("known-differences.tsv", 3);
        if (Heif.probe().codec().isPresent() && !PackagedApp.NATIVE) {
            // HEIC and AVIF are read where libheif is installed (the packaged app runs on this machine), but not by
            // the native executable, which binds no library through JNA (docs/native.md)
            known.values().removeIf(why -> why.startsWith("without libheif"));
        }
        if (PackagedApp.NATIVE) {
            known.putAll(tsv("known-differences-native.tsv", 3));
        }
        Map<String, String> cases = tsv("INDEX.tsv", 4);
        List<Outcome> outcomes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long offset = 900_000;
        try (MinioClient minio = MinioClient.builder().endpoint(LocalServersResource.s3Endpoint())
                .credentials(LocalServersResource.ACCESS_KEY, LocalServersResource.SECRET_KEY).build()) {
            Store store = new Store(minio);
            for (Path file : files()) {
                String suite = file.getParent().getFileName().toString();
                String id = suite + "/" + file.getFileName();
                ObjectState object = store.upload("images", "external/" + id, Files.readAllBytes(file), "application/octet-stream");
                long start = System.nanoTime();
                Response response = KafkaSourceRequest.send(MinioNotifications.recordKey(object.bucket(), object.key()),
                        MinioNotifications.event("s3:ObjectCreated:Put", object, Instant.now()), offset++);
                long millis = (System.nanoTime() - start) / 1_000_000;
                int status = response.statusCode();
                String verdict = switch (status) {
                    case 200 -> response.jsonPath().getList("stored").isEmpty() ? "ignored" : "processed";
                    case 422 -> "refused: " + response.header("kne-reason");
                    default -> "HTTP " + status;
                };
                Vips theirs = vips.get(id);
                Double psnr = null;
                if (verdict.equals("processed") && theirs != null && theirs.reference() != null) {
                    byte[] ours = thumbnail(store.get("processed", largest(response.asString())));
                    psnr = ours == null ? null : psnr(theirs.reference(), ours);
                }
                Outcome outcome = new Outcome(suite, file.getFileName().toString(), verdict, millis, psnr, theirs);
                outcomes.add(outcome);
                if (status != 200 && status != 422) {
                    problems.add(id + ": HTTP " + status + " " + response.asString());
                }
                if (millis > MAX_MILLIS) {
                    problems.add(id + ": took " + millis + " ms");
                }
                boolean differs = theirs != null && theirs.decoded() && (!outcome.processed() || (psnr != null && psnr < MIN_PSNR));
                if (differs && !known.containsKey(id)) {
                    problems.add(id + ": libvips decodes it, here " + verdict + (psnr != null ? String.format(" with PSNR %.1f dB", psnr) : "")
                            + (status == 422 ? " (" + response.asString() + ")" : "") + "; fix it or say why in known-differences.tsv");
                }
                if (!differs && known.containsKey(id)) {
                    problems.add(id + ": listed in known-differences.tsv, but now " + verdict + " as libvips does");
                }
            }
        }
        Path report = Path.of("target/external-corpus.md");
        Files.writeString(report, report(outcomes, known, cases));
        System.out.println(Files.readString(report));
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private static List<Path> files() throws IOException {
        try (Stream<Path> walk = Files.walk(ROOT, 2)) {
            return walk.filter(p -> p.getNameCount() == ROOT.getNameCount() + 2 && Files.isRegularFile(p))
                    .filter(p -> !p.getFileName().toString().equals("LICENSE.txt")).sorted().toList();
        }
    }

    /** The key of the largest rendition in a 200's body. */
    private static String largest(String body) throws IOException {
        JsonNode best = null;
        for (JsonNode rendition : JSON.readTree(body).path("stored").path(0).path("renditions")) {
            if (best == null || rendition.path("width").asInt() * rendition.path("height").asInt() > best.path("width").asInt() * best.path("height").asInt()) {
                best = rendition;
            }
        }
        return best.path("key").asText();
    }

    /**
     * The picture at 16x16, forced (as libvips' reference), flattened onto white, as 8-bit sRGB bytes; null for a
     * picture under 16 pixels in either direction, which libvips' reference enlarges with another filter.
     */
    static byte[] thumbnail(byte[] encoded) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded));
        if (image.getWidth() < 16 || image.getHeight() < 16) {
            return null;
        }
        BufferedImage flat = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = flat.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, flat.getWidth(), flat.getHeight());
        g.drawImage(image, 0, 0, null);
        g.dispose();
        Image scaled = flat.getScaledInstance(16, 16, Image.SCALE_AREA_AVERAGING);
        BufferedImage small = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        Graphics2D s = small.createGraphics();
        s.drawImage(scaled, 0, 0, null);
        s.dispose();
        byte[] rgb = new byte[16 * 16 * 3];
        for (int i = 0; i < 256; i++) {
            int p = small.getRGB(i % 16, i / 16);
            rgb[i * 3] = (byte) (p >> 16);
            rgb[i * 3 + 1] = (byte) (p >> 8);
            rgb[i * 3 + 2] = (byte) p;
        }
        return rgb;
    }

    /** PSNR of two 16x16 pictures given as 8-bit RGB bytes. */
    static double psnr(byte[] a, byte[] b) {
        return Images.psnr(picture(a), picture(b));
    }

    private static BufferedImage picture(byte[] rgb) {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 256; i++) {
            image.setRGB(i % 16, i / 16, (rgb[i * 3] & 0xff) << 16 | (rgb[i * 3 + 1] & 0xff) << 8 | rgb[i * 3 + 2] & 0xff);
        }
        return image;
    }

    private static Map<String, Vips> vips() throws IOException {
        Map<String, Vips> result = new TreeMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("vips.tsv"))) {
            String[] f = line.split("\t", -1);
            if (line.startsWith("#") || f[0].equals("suite")) {
                continue;
            }
            result.put(f[0] + "/" + f[1], new Vips(f[4].equals("yes"), f[3], f[6].isEmpty() ? null : HexFormat.of().parseHex(f[6])));
        }
        return result;
    }

    /** suite/file to the last column, from a TSV with a header line and {@code columns} columns. */
    private static Map<String, String> tsv(String name, int columns) {
        try {
            Map<String, String> result = new LinkedHashMap<>();
            for (String line : Files.readAllLines(ROOT.resolve(name))) {
                String[] f = line.split("\t", -1);
                if (line.startsWith("#") || f[0].equals("suite") || f.length < columns) {
                    continue;
                }
                result.put(f[0] + "/" + f[1], f[columns - 1]);
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String report(List<Outcome> outcomes, Map<String, String> known, Map<String, String> cases) {
        StringBuilder md = new StringBuilder("| suite | files | processed | refused (by reason) | 5xx | over 10 s | libvips decodes | both decode | slowest |\n"
                + "|---|---:|---:|---|---:|---:|---:|---:|---:|\n");
        Map<String, List<Outcome>> bySuite = new TreeMap<>();
        outcomes.forEach(o -> bySuite.computeIfAbsent(o.suite(), s -> new ArrayList<>()).add(o));
        bySuite.put("all", outcomes);
        bySuite.forEach((suite, list) -> {
            Map<String, Integer> refused = new TreeMap<>();
            list.stream().filter(o -> o.verdict().startsWith("refused")).forEach(o -> refused.merge(o.verdict().substring(9), 1, Integer::sum));
            md.append(String.format("| %s | %d | %d | %s | %d | %d | %d | %d | %d ms |%n", suite, list.size(),
                    list.stream().filter(Outcome::processed).count(),
                    refused.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).reduce((x, y) -> x + ", " + y).orElse("-"),
                    list.stream().filter(o -> o.verdict().startsWith("HTTP 5")).count(),
                    list.stream().filter(o -> o.millis() > MAX_MILLIS).count(),
                    list.stream().filter(o -> o.vips() != null && o.vips().decoded()).count(),
                    list.stream().filter(o -> o.processed() && o.vips() != null && o.vips().decoded()).count(),
                    list.stream().mapToLong(Outcome::millis).max().orElse(0)));
        });
        md.append("\n| file | case | here | ms | libvips | PSNR vs libvips | why they differ |\n|---|---|---|---:|---|---:|---|\n");
        for (Outcome o : outcomes) {
            String id = o.suite() + "/" + o.file();
            md.append(String.format("| %s | %s | %s | %d | %s | %s | %s |%n", id, cases.getOrDefault(id, ""), o.verdict(), o.millis(),
                    o.vips() == null ? "?" : o.vips().decoded() ? "decoded (" + o.vips().loader() + ")" : "refused",
                    o.psnr() == null ? "" : o.psnr().isInfinite() ? "identical" : String.format("%.1f", o.psnr()), known.getOrDefault(id, "")));
        }
        return md.toString();
    }
}
