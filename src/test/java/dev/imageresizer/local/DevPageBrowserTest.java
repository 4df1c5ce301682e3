package dev.imageresizer.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.imageresizer.event.ObjectEvent;
import dev.imageresizer.failure.Failure;
import dev.imageresizer.local.MinioNotifications.ObjectState;
import dev.imageresizer.pipeline.ResizePipeline;
import dev.imageresizer.storage.ETag;
import dev.imageresizer.storage.ObjectStore;
import dev.imageresizer.support.Images;
import dev.imageresizer.support.LocalServersResource;
import dev.imageresizer.support.Store;
import io.minio.MinioClient;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The dev page in a real browser (Debian's headless chromium through chromium-driver): on opening it shows what the
 * source bucket already held (an image with its renditions, a refused file with its reason, an original not yet
 * resized); then a user chooses two images, and the page shows each original beside its renditions once the real
 * pipeline (notification, Kafka, consumer) has stored them. Keeps a screenshot in {@code target/dev-page.png}.
 */
@QuarkusTest
@TestProfile(DevPageBrowserTest.WithDevPage.class)
@WithTestResource(LocalServersResource.class)
class DevPageBrowserTest {

    public static class WithDevPage implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("resizer.dev-page", "true", "quarkus.http.limits.max-body-size", "64M");
        }
    }

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TestHTTPResource("/resizer/dev")
    URL page;

    @Inject
    MinioClient minio;

    @Inject
    ObjectStore objects;

    @Inject
    ResizePipeline pipeline;

    @Test
    void chosenImagesAppearBesideTheirRenditions() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        String missing = "the browser test needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)";
        if (Boolean.getBoolean("browser.required")) {
            assertTrue(present, missing + "; -Dbrowser.required=true (as .ci/run sets) makes it mandatory");
        }
        if (!present) {
            System.err.println("DevPageBrowserTest skipped: " + missing + "; -Dbrowser.required=true makes it fail instead");
        }
        assumeTrue(present, missing + "; skipped");
        Path photo = dev.imageresizer.support.Images.FIXTURES.resolve("photos/leuven.jpg").toAbsolutePath().normalize();
        Path rotated = dev.imageresizer.support.Images.FIXTURES.resolve("exif-orientation/Landscape_6.jpg").toAbsolutePath().normalize();
        // in the bucket before the page opens, outside dev-page/: resized, refused, and not yet resized
        String before = "DevPageBrowserTest/" + UUID.randomUUID().toString().substring(0, 8) + "/";
        Store store = new Store(minio);
        ObjectState resized = store.upload(LocalServersResource.SOURCE_BUCKET, before + "baboon.jpg", Images.fixture("photos/baboon.jpg"), "image/jpeg");
        pipeline.handle("before-the-page", event(resized));
        ObjectState refused = store.upload(LocalServersResource.SOURCE_BUCKET, before + "notes.jpg", "not an image".getBytes(StandardCharsets.UTF_8), "image/jpeg");
        assertThrows(Failure.Rejected.class, () -> pipeline.handle("before-the-page", event(refused)));
        store.upload(LocalServersResource.SOURCE_BUCKET, before + "waiting.png", Images.fixture("photos/coffee.png"), "image/png");

        // the local S3 server sends no notifications: play MinIO's for the page's uploads, as dev mode does
        try (NotificationFeed feed = new NotificationFeed(objects, List.of(LocalServersResource.SOURCE_BUCKET), DevPage.PREFIX,
                LocalServersResource.bootstrapServers(), LocalServersResource.EVENTS_TOPIC, Optional.empty()).start()) {
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                    .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--window-size=1400,1600");
            ChromeDriver browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(), options);
            try {
                browser.get(page.toString());
                new WebDriverWait(browser, Duration.ofSeconds(30)).until(b -> b.findElement(By.id("existing-note")).getText().startsWith("the latest"));
                browser.findElement(By.id("files")).sendKeys(photo + "\n" + rotated);

                new WebDriverWait(browser, Duration.ofSeconds(60)).until(b -> b.findElements(By.cssSelector("#results .original.done")).size() == 2
                        && b.findElements(By.cssSelector(".rendition img")).stream().allMatch(img -> loaded(browser, img)));

                Path screenshot = Path.of("target/dev-page.png");
                Files.write(screenshot, browser.getScreenshotAs(OutputType.BYTES));

                WebElement done = existing(browser, resized.key());
                assertTrue(done.getAttribute("class").contains("done"), done.getText());
                assertEquals(List.of("large", "small", "thumb"),
                        done.findElements(By.cssSelector(".rendition")).stream().map(f -> f.getAttribute("data-name")).toList());
                assertEquals("original 512×512, image/jpeg", done.findElement(By.cssSelector("figcaption")).getText());
                assertTrue(done.findElement(By.cssSelector(".status")).getText().startsWith("done: 3 renditions of the upload of"),
                        done.findElement(By.cssSelector(".status")).getText());
                WebElement notes = existing(browser, refused.key());
                assertTrue(notes.getAttribute("class").contains("refused"), notes.getText());
                assertTrue(notes.findElement(By.cssSelector(".status")).getText().startsWith("refused (notanimage): "), notes.getText());
                WebElement waiting = existing(browser, before + "waiting.png");
                assertTrue(waiting.getAttribute("class").contains("pending"), waiting.getText());
                assertTrue(waiting.getText().contains("no renditions of this content yet"), waiting.getText());

                for (WebElement card : browser.findElements(By.cssSelector("#results .original"))) {
                    List<String> captions = card.findElements(By.cssSelector("figcaption")).stream().map(WebElement::getText).toList();
                    assertEquals(4, captions.size(), captions.toString());
                    if (card.getAttribute("data-name").equals("Landscape_6.jpg")) {
                        // stored 1200x1800 with EXIF orientation 6: shown upright
                        assertEquals(List.of("original 1800×1200, image/jpeg", "large 1280×853", "small 640×427", "thumb 150×150"),
                                captions.stream().map(c -> c.replaceAll(", [0-9.]+ K?B, image/jpeg$", "")).toList(), captions.toString());
                    } else {
                        assertTrue(captions.get(0).equals("original 751×563, image/jpeg"), captions.toString());
                    }
                    assertTrue(card.findElement(By.cssSelector(".status")).getText().matches("done: 3 renditions stored \\d+ ms after the upload began; dominant colour #[0-9a-f]{6}"),
                            card.findElement(By.cssSelector(".status")).getText());
                }
                assertTrue(Files.size(screenshot) > 10_000, "screenshot kept in target/dev-page.png");
            } finally {
                browser.quit();
            }
        }
    }

    private static ObjectEvent event(ObjectState object) {
        return new ObjectEvent("ObjectCreated:Put", object.bucket(), object.key(), ETag.of(object.eTag()), object.size());
    }

    /** The card of an object that was in the bucket when the page opened. */
    private static WebElement existing(ChromeDriver browser, String key) {
        return browser.findElements(By.cssSelector("#existing .original")).stream().filter(card -> key.equals(card.getAttribute("data-key")))
                .findFirst().orElseThrow(() -> new AssertionError("no card for " + key + " in " + browser.findElement(By.id("existing")).getText()));
    }

    private static boolean loaded(ChromeDriver browser, WebElement img) {
        Object width = ((JavascriptExecutor) browser).executeScript("return arguments[0].complete && arguments[0].naturalWidth", img);
        return width instanceof Number n && n.intValue() > 0;
    }
}
