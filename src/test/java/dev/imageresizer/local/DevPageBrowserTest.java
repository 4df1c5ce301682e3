package dev.imageresizer.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

import dev.imageresizer.storage.ObjectStore;
import dev.imageresizer.support.LocalServersResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The dev page in a real browser (Debian's headless chromium through chromium-driver): a user chooses two images, and
 * the page shows each original beside its renditions once the real pipeline (notification, Kafka, consumer) has stored
 * them. Keeps a screenshot in {@code target/dev-page.png}.
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
    ObjectStore objects;

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

        // the local S3 server sends no notifications: play MinIO's for the page's uploads, as dev mode does
        try (NotificationFeed feed = new NotificationFeed(objects, List.of(LocalServersResource.SOURCE_BUCKET), DevPage.PREFIX,
                LocalServersResource.bootstrapServers(), LocalServersResource.EVENTS_TOPIC, Optional.empty()).start()) {
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                    .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--window-size=1400,1600");
            ChromeDriver browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(), options);
            try {
                browser.get(page.toString());
                browser.findElement(By.id("files")).sendKeys(photo + "\n" + rotated);

                new WebDriverWait(browser, Duration.ofSeconds(60)).until(b -> b.findElements(By.cssSelector(".original.done")).size() == 2
                        && b.findElements(By.cssSelector(".rendition img")).stream().allMatch(img -> loaded(browser, img)));

                Path screenshot = Path.of("target/dev-page.png");
                Files.write(screenshot, browser.getScreenshotAs(OutputType.BYTES));
                for (WebElement card : browser.findElements(By.cssSelector(".original"))) {
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

    private static boolean loaded(ChromeDriver browser, WebElement img) {
        Object width = ((JavascriptExecutor) browser).executeScript("return arguments[0].complete && arguments[0].naturalWidth", img);
        return width instanceof Number n && n.intValue() > 0;
    }
}
