package org.grievance.ssd.register;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.grievance.ssd.image.PhotoMetadata;
import org.grievance.ssd.image.RgbImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.interactions.PointerInput;
import org.openqa.selenium.interactions.Sequence;
import org.openqa.selenium.remote.RemoteWebDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web pages in a real browser (headless Chromium from Debian: {@code chromium} and {@code
 * chromium-driver}): a citizen submits a photo and sees its tags, an official logs in, finds it and
 * resolves it. Screenshots of each step go to {@code target/browser-screenshots/}. Skipped when
 * Chromium or its driver is not installed ({@code .ci/run} installs both).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserTest {
  static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
  static final Path DRIVER =
      Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));
  static final Path SCREENSHOTS = Path.of("target", "browser-screenshots");

  RegisterServer server;
  WebDriver browser;
  Http http;
  String token;
  String base;
  Path tmp;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
        "headless Chromium not installed (apt-get install chromium chromium-driver)");
    tmp = dir;
    server =
        RegisterServer.start(
            RegisterConfig.builder(TestModels.create(dir.resolve("run")))
                .host("127.0.0.1")
                .port(0)
                .dataDir(dir.resolve("data"))
                .tagThreshold(0.0)
                .build());
    http = new Http(server.port());
    base = "http://127.0.0.1:" + server.port();
    token = server.officials().add("Browser Official");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1100");
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
    browser = new ChromeDriver(service, options);
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Each test starts logged out: the official page keeps its token in the session storage. */
  @BeforeEach
  void loggedOut() {
    browser.get(base + "/");
    ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("sessionStorage.clear()");
  }

  WebDriverWait waiting() {
    return new WebDriverWait(browser, Duration.ofSeconds(20));
  }

  void screenshot(String name, String scrollTo) throws Exception {
    ((org.openqa.selenium.JavascriptExecutor) browser)
        .executeScript("document.getElementById(arguments[0]).scrollIntoView()", scrollTo);
    screenshot(name);
  }

  void screenshot(String name) throws Exception {
    File f = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(
        f.toPath(),
        SCREENSHOTS.resolve(name + ".png"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  static List<String> tags(WebElement container) {
    List<String> out = new ArrayList<>();
    for (WebElement t : container.findElements(By.cssSelector("span[data-tag]"))) {
      out.add(t.getText());
    }
    return out;
  }

  @Test
  void citizenSubmitsAndOfficialResolves() throws Exception {
    Path photo = tmp.resolve("street.jpg");
    Files.write(photo, TestModels.jpeg(240, 320, 99));
    String description = "Pothole <img src=x onerror=\"document.title='pwned'\"> & more";

    // Citizen: pick the photo, see boxes and tags, describe, submit.
    browser.get(base + "/");
    browser.findElement(By.id("photo")).sendKeys(photo.toAbsolutePath().toString());
    waiting().until(d -> d.findElement(By.id("submit")).isEnabled());
    List<String> shownTags = tags(browser.findElement(By.id("tags")));
    assertThat(shownTags).isNotEmpty();
    assertThat(browser.findElement(By.id("photo-location-box")).isDisplayed())
        .as("a photo without a position offers none")
        .isFalse();
    browser.findElement(By.id("description")).sendKeys(description);
    browser.findElement(By.id("contact")).sendKeys("citizen@example.org");
    screenshot("1-citizen-detected");
    browser.findElement(By.id("submit")).click();
    WebElement tracking =
        waiting()
            .until(
                d -> {
                  WebElement e = d.findElement(By.id("tracking-id"));
                  return e.getText().isBlank() ? null : e;
                });
    String trackingId = tracking.getText();
    assertThat(trackingId).matches("[a-z2-7]{26}");
    screenshot("2-citizen-submitted");
    JsonNode stored = http.get("/api/grievances/" + trackingId).json();
    long id = http.get("/api/grievances/" + trackingId, token).json().get("id").asLong();
    Set<String> storedTags = new HashSet<>();
    stored.get("categories").forEach(c -> storedTags.add(c.get("name").asText()));
    assertThat(new HashSet<>(tags(browser.findElement(By.id("result-tags")))))
        .isEqualTo(storedTags)
        .isEqualTo(new HashSet<>(shownTags));
    assertThat(stored.get("description").asText()).isEqualTo(description);

    // The tracking link shows the status.
    browser.findElement(By.id("tracking-link")).click();
    waiting().until(d -> "open".equals(d.findElement(By.id("track-status")).getText()));

    // Official: log in with a wrong token, then the right one. Logged out first, from this page of
    // the same origin: another test may have logged in, and the page keeps the token for the
    // session.
    js().executeScript("sessionStorage.clear()");
    browser.get(base + "/official.html");
    browser.findElement(By.id("token")).sendKeys("wrong");
    browser.findElement(By.id("login")).click();
    waiting().until(d -> !d.findElement(By.id("login-error")).getText().isBlank());
    WebElement tokenField = browser.findElement(By.id("token"));
    tokenField.clear();
    tokenField.sendKeys(token);
    browser.findElement(By.id("login")).click();
    By row = By.cssSelector("#grievances tbody tr[data-id='" + id + "']");
    waiting().until(d -> !d.findElements(row).isEmpty());
    WebElement descCell = browser.findElement(row).findElement(By.cssSelector("td.description"));
    assertThat(descCell.getText()).isEqualTo(description);
    assertThat(descCell.findElements(By.tagName("img")))
        .as("description is text, not HTML")
        .isEmpty();
    assertThat(browser.getTitle()).doesNotContain("pwned");
    assertThat(
            browser
                .findElement(By.cssSelector("#stats tr[data-category='*'] th:nth-child(2)"))
                .getText())
        .isEqualTo(http.get("/api/stats").json().at("/byStatus/open").asText());
    screenshot("3-official-list");

    browser.findElement(row).click();
    waiting().until(d -> ("#" + id).equals(d.findElement(By.id("detail-id")).getText()));
    waiting()
        .until(
            d ->
                (Boolean)
                    ((org.openqa.selenium.JavascriptExecutor) d)
                        .executeScript(
                            "const i = document.getElementById('detail-image');"
                                + " return i.complete && i.naturalWidth === 320;"));
    assertThat(browser.findElement(By.id("detail-contact")).getText())
        .isEqualTo("citizen@example.org");
    screenshot("4-official-detail", "detail");

    new Select(browser.findElement(By.id("new-status"))).selectByValue("in_progress");
    browser.findElement(By.id("comment")).sendKeys("crew on the way");
    browser.findElement(By.id("apply")).click();
    waiting().until(d -> "in_progress".equals(d.findElement(By.id("detail-status")).getText()));
    new Select(browser.findElement(By.id("new-status"))).selectByValue("resolved");
    browser.findElement(By.id("comment")).sendKeys("filled");
    browser.findElement(By.id("apply")).click();
    waiting().until(d -> "resolved".equals(d.findElement(By.id("detail-status")).getText()));
    screenshot("5-official-resolved", "detail");

    JsonNode after = http.get("/api/grievances/" + id, token).json();
    assertThat(after.get("status").asText()).isEqualTo("resolved");
    JsonNode history = after.get("history");
    assertThat(history.get(history.size() - 1).get("actor").asText()).isEqualTo("Browser Official");
    assertThat(history.get(history.size() - 1).get("comment").asText()).isEqualTo("filled");
    assertThat(browser.findElement(By.id("history")).getText()).contains("crew on the way");

    // The citizen's tracking page shows the progress, without the official's name or comments.
    browser.get(base + "/#track=" + trackingId);
    waiting().until(d -> "resolved".equals(d.findElement(By.id("track-status")).getText()));
    assertThat(browser.findElement(By.id("track-id")).getText()).isEqualTo(trackingId);
    String publicHistory = browser.findElement(By.id("track-history")).getText();
    assertThat(publicHistory).contains("resolved").doesNotContain("Browser Official");
    assertThat(publicHistory).doesNotContain("crew on the way").doesNotContain("filled");
    screenshot("6-citizen-tracking", "track-section");
  }

  JavascriptExecutor js() {
    return (JavascriptExecutor) browser;
  }

  /** The RGB of a pixel of the citizen page's preview canvas. */
  int[] canvasPixel(int x, int y) {
    List<?> rgba =
        (List<?>)
            js().executeScript(
                    "return Array.from(document.getElementById('preview').getContext('2d')"
                        + ".getImageData(arguments[0], arguments[1], 1, 1).data);",
                    x,
                    y);
    return new int[] {
      ((Number) rgba.get(0)).intValue(),
      ((Number) rgba.get(1)).intValue(),
      ((Number) rgba.get(2)).intValue()
    };
  }

  static boolean near(int[] a, int[] b, int tolerance) {
    for (int c = 0; c < 3; c++) {
      if (Math.abs(a[c] - b[c]) > tolerance) {
        return false;
      }
    }
    return true;
  }

  /** The colours citizen.js draws boxes in, by class id − 1. */
  static final int[][] PALETTE = {
    {0xE6, 0x19, 0x4B}, {0x2E, 0x9E, 0x44}, {0x4A, 0x6C, 0xE0},
    {0xE8, 0x74, 0x0C}, {0xA2, 0x3C, 0xC8}, {0x0E, 0x9A, 0xA7}
  };

  /**
   * Picks {@code photo} on the citizen page and checks the preview: upright (the size and layout of
   * {@code upright}), with the boxes the service finds drawn where it says. Leaves the page ready
   * to submit.
   */
  void pickAndCheckPreview(Path photo, RgbImage upright) throws Exception {
    browser.get(base + "/");
    browser.findElement(By.id("photo")).sendKeys(photo.toAbsolutePath().toString());
    waiting().until(d -> d.findElement(By.id("submit")).isEnabled());
    List<?> size =
        (List<?>)
            js().executeScript(
                    "const c = document.getElementById('preview');"
                        + " return [c.width, c.height, Number(c.dataset.boxes)];");
    assertThat(((Number) size.get(0)).intValue()).as("preview width").isEqualTo(upright.width());
    assertThat(((Number) size.get(1)).intValue()).as("preview height").isEqualTo(upright.height());
    // Upright: most of the top half shows the top's colour, most of the bottom half the bottom's
    // (boxes may cover a few sample points).
    int top = 0;
    int bottom = 0;
    int samples = 0;
    for (int y = 6; y < upright.height() / 2 - 4; y += 12) {
      for (int x = 6; x < upright.width(); x += 12) {
        int[] expectedTop = {upright.get(y, x, 0), upright.get(y, x, 1), upright.get(y, x, 2)};
        int yb = upright.height() - 1 - y;
        int[] expectedBottom = {
          upright.get(yb, x, 0), upright.get(yb, x, 1), upright.get(yb, x, 2)
        };
        top += near(canvasPixel(x, y), expectedTop, 24) ? 1 : 0;
        bottom += near(canvasPixel(x, yb), expectedBottom, 24) ? 1 : 0;
        samples++;
      }
    }
    assertThat(top).as("top-half samples shown upright of %d", samples).isGreaterThan(samples / 2);
    assertThat(bottom)
        .as("bottom-half samples shown upright of %d", samples)
        .isGreaterThan(samples / 2);
    // The boxes: the best detection is drawn last, so its left or right edge shows its colour at
    // the displayed-frame position the service gives.
    JsonNode detections =
        http.postRaw("/api/detect", Files.readAllBytes(photo), "image/jpeg").json();
    assertThat(((Number) size.get(2)).intValue())
        .as("boxes drawn")
        .isEqualTo(detections.get("detections").size())
        .isPositive();
    JsonNode best = detections.get("detections").get(0);
    JsonNode box = best.get("box");
    int y = (int) Math.floor((box.get("ymin").asDouble() + box.get("ymax").asDouble()) / 2);
    y = Math.max(0, Math.min(upright.height() - 1, y));
    double xmin = box.get("xmin").asDouble();
    double xmax = box.get("xmax").asDouble();
    int x = (int) Math.floor(xmin >= 0 ? xmin : xmax);
    assertThat(x).as("an edge of the best box inside the photo").isBetween(0, upright.width() - 1);
    int[] colour = PALETTE[(best.get("classId").asInt() - 1) % PALETTE.length];
    assertThat(canvasPixel(x, y))
        .as("box edge at (%d, %d)", x, y)
        .satisfies(
            px ->
                assertThat(near(px, colour, 8))
                    .as(
                        "%s near %s",
                        java.util.Arrays.toString(px), java.util.Arrays.toString(colour))
                    .isTrue());
  }

  /** Submits the citizen page's form; returns the tracking id it shows. */
  String submitFromPage(String description) {
    browser.findElement(By.id("description")).sendKeys(description);
    browser.findElement(By.id("submit")).click();
    WebElement tracking =
        waiting()
            .until(
                d -> {
                  WebElement e = d.findElement(By.id("tracking-id"));
                  return e.getText().isBlank() ? null : e;
                });
    return tracking.getText();
  }

  @Test
  void portraitPhonePhotoIsShownUprightWithItsBoxesAndItsLocationIsPublishedOnlyOnOptIn()
      throws Exception {
    String marker = "browser-marker-9d2e";
    RgbImage upright = PhonePhotos.portrait(240, 180);
    Path photo = tmp.resolve("portrait-phone.jpg");
    Files.write(photo, PhonePhotos.phoneJpeg(upright, 48.858222, 2.2945, marker));

    // Not ticked: the photo's position is offered but not published.
    pickAndCheckPreview(photo, upright);
    WebElement optIn = browser.findElement(By.id("use-photo-location"));
    assertThat(browser.findElement(By.id("photo-location-box")).isDisplayed()).isTrue();
    assertThat(optIn.isSelected()).as("off until the citizen ticks it").isFalse();
    screenshot("6-citizen-portrait-location-offered", "preview-box");
    String withheld = submitFromPage("pothole; the photo knows where, I do not share it");

    // Ticked: the photo's position is published.
    pickAndCheckPreview(photo, upright);
    browser.findElement(By.id("use-photo-location")).click();
    assertThat(browser.findElement(By.id("use-photo-location")).isSelected()).isTrue();
    String shared = submitFromPage("pothole; here, as my photo says");
    screenshot("7-citizen-portrait-submitted");

    JsonNode w = http.get("/api/grievances/" + withheld, token).json();
    assertThat(w.has("latitude")).isFalse();
    assertThat(w.has("longitude")).isFalse();
    // The exact position is the officials' (the public sees it rounded).
    JsonNode s = http.get("/api/grievances/" + shared, token).json();
    assertThat(s.get("latitude").asDouble())
        .isCloseTo(48.858222, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(s.get("longitude").asDouble())
        .isCloseTo(2.2945, org.assertj.core.data.Offset.offset(1e-5));
    for (String id : List.of(withheld, shared)) {
      byte[] stored = http.get("/api/grievances/" + id + "/image").bytes();
      assertThat(PhonePhotos.contains(stored, marker.getBytes(StandardCharsets.UTF_8))).isFalse();
      assertThat(PhotoMetadata.read(stored)).isEqualTo(PhotoMetadata.NONE);
      assertThat(PhonePhotos.metadataIn(stored)).isEmpty();
    }

    // The official sees the photo upright, boxes painted on it.
    browser.get(base + "/official.html");
    if (browser.findElement(By.id("token")).isDisplayed()) {
      browser.findElement(By.id("token")).sendKeys(token);
      browser.findElement(By.id("login")).click();
    }
    By row = By.cssSelector("#grievances tbody tr[data-id='" + s.get("id").asLong() + "']");
    waiting().until(d -> !d.findElements(row).isEmpty());
    browser.findElement(row).click();
    waiting()
        .until(
            d ->
                (Boolean)
                    js().executeScript(
                            "const i = document.getElementById('detail-image');"
                                + " return i.complete && i.naturalWidth === 180"
                                + " && i.naturalHeight === 240;"));
    assertThat(browser.findElement(By.id("detail-location")).getText()).startsWith("48.85822");
    screenshot("8-official-portrait", "detail");
  }

  @Test
  void aChangeMadeMeanwhileBySomeoneElseIsNotOverwritten() throws Exception {
    Http.Response submitted =
        http.postMultipart(
            "/api/grievances",
            new Http.Multipart()
                .file("photo", "p.jpg", "image/jpeg", TestModels.jpeg(120, 160, 98))
                .field("description", "lamp post leaning"));
    assertThat(submitted.status()).as(submitted.toString()).isEqualTo(201);
    long id =
        http.get("/api/grievances/" + submitted.json().get("trackingId").asText(), token)
            .json()
            .get("id")
            .asLong();

    browser.get(base + "/official.html");
    browser.findElement(By.id("token")).sendKeys(token);
    browser.findElement(By.id("login")).click();
    By row = By.cssSelector("#grievances tbody tr[data-id='" + id + "']");
    waiting().until(d -> !d.findElements(row).isEmpty());
    browser.findElement(row).click();
    waiting().until(d -> ("#" + id).equals(d.findElement(By.id("detail-id")).getText()));

    // Another official comments while this one has the grievance open.
    String other = server.officials().add("Other Official");
    assertThat(
            http.patch("/api/grievances/" + id, other, "{\"comment\":\"cones placed\"}").status())
        .isEqualTo(200);

    new Select(browser.findElement(By.id("new-status"))).selectByValue("in_progress");
    browser.findElement(By.id("comment")).sendKeys("crew sent");
    browser.findElement(By.id("apply")).click();
    WebElement message = browser.findElement(By.id("patch-message"));
    waiting().until(d -> message.getText().contains("changed by someone else"));
    screenshot("6-official-stale-edit", "detail");
    assertThat(browser.findElement(By.id("detail-status")).getText()).isEqualTo("open");
    assertThat(browser.findElement(By.id("history")).getText()).contains("cones placed");
    assertThat(browser.findElement(By.id("comment")).getAttribute("value"))
        .as("the typed comment is kept for the second try")
        .isEqualTo("crew sent");
    assertThat(http.get("/api/grievances/" + id, token).json().get("status").asText())
        .isEqualTo("open");

    // Applied again on the reloaded grievance, it goes through.
    new Select(browser.findElement(By.id("new-status"))).selectByValue("in_progress");
    browser.findElement(By.id("apply")).click();
    waiting().until(d -> "in_progress".equals(d.findElement(By.id("detail-status")).getText()));
    JsonNode history = http.get("/api/grievances/" + id, token).json().get("history");
    assertThat(history.get(history.size() - 1).get("comment").asText()).isEqualTo("crew sent");
  }

  /** The viewport position of image pixel (x, y) of the review editor's photo. */
  int[] screenOf(double x, double y) {
    List<?> r =
        (List<?>)
            js().executeScript(
                    "const b = document.getElementById('review-canvas').getBoundingClientRect();"
                        + " const w = Number(document.getElementById('review-canvas').dataset.width);"
                        + " return [b.left + arguments[0] * b.width / w,"
                        + " b.top + arguments[1] * b.width / w];",
                    x,
                    y);
    return new int[] {
      (int) Math.round(((Number) r.get(0)).doubleValue()),
      (int) Math.round(((Number) r.get(1)).doubleValue())
    };
  }

  int shownBoxes() {
    return browser.findElements(By.cssSelector("#review-canvas g.box")).size();
  }

  @Test
  void anOfficialDrawsRelabelsDeletesAndSavesBoxesAndTheApiHasExactlyThat() throws Exception {
    Http.Response submitted =
        http.postMultipart(
            "/api/grievances",
            new Http.Multipart()
                .file("photo", "p.jpg", "image/jpeg", TestModels.jpeg(240, 320, 97))
                .field("description", "boxes to fix"));
    assertThat(submitted.status()).as(submitted.toString()).isEqualTo(201);
    long id =
        http.get("/api/grievances/" + submitted.json().get("trackingId").asText(), token)
            .json()
            .get("id")
            .asLong();
    String path = "/api/grievances/" + id + "/annotations";
    int proposed = http.get(path, token).json().get("boxes").size();
    assertThat(proposed).isPositive();

    browser.get(base + "/official.html");
    browser.findElement(By.id("token")).sendKeys(token);
    browser.findElement(By.id("login")).click();
    By row = By.cssSelector("#grievances tbody tr[data-id='" + id + "']");
    waiting().until(d -> !d.findElements(row).isEmpty());
    assertThat(browser.findElement(row).findElement(By.cssSelector("td.review-state")).getText())
        .startsWith("priority ");
    // The review queue button opens the photo the API ranks first.
    long first =
        http.get("/api/grievances?review=needed&size=1", token).json().at("/items/0/id").asLong();
    browser.findElement(By.id("review-queue")).click();
    waiting().until(d -> ("#" + first).equals(d.findElement(By.id("review-id")).getText()));
    waiting().until(d -> !d.findElements(row).isEmpty());
    browser.findElement(row).click();
    waiting().until(d -> ("#" + id).equals(d.findElement(By.id("review-id")).getText()));
    // The detector's proposal is on the photo, labelled as such.
    waiting().until(d -> shownBoxes() == proposed);
    assertThat(browser.findElement(By.id("review-source")).getAttribute("data-source"))
        .isEqualTo("detector");
    assertThat(browser.findElement(By.id("review-reviewed")).isSelected()).isTrue();
    screenshot("9-review-proposal", "review");

    // A known starting point: two boxes saved as work in progress, read again with Revert.
    String start =
        "{\"reviewed\": false, \"boxes\": ["
            + "{\"class\": \"pothole\", \"box\": {\"xmin\": 10, \"ymin\": 10, \"xmax\": 60,"
            + " \"ymax\": 50}},"
            + "{\"class\": \"graffiti\", \"box\": {\"xmin\": 200, \"ymin\": 150, \"xmax\": 300,"
            + " \"ymax\": 230}}]}";
    assertThat(http.put(path, token, start, null).status()).isEqualTo(200);
    browser.findElement(By.id("review-reload")).click();
    waiting().until(d -> shownBoxes() == 2);
    assertThat(browser.findElement(By.id("review-reviewed")).isSelected()).isFalse();

    // Draw a graffiti box with the pointer, from image pixel (100, 60) to (180, 130).
    new Select(browser.findElement(By.id("review-class"))).selectByValue("graffiti");
    js().executeScript("document.getElementById('review-canvas').scrollIntoView()");
    int[] from = screenOf(100, 60);
    int[] to = screenOf(180, 130);
    new Actions(browser)
        .moveToLocation(from[0], from[1])
        .clickAndHold()
        .moveToLocation((from[0] + to[0]) / 2, (from[1] + to[1]) / 2)
        .moveToLocation(to[0], to[1])
        .release()
        .perform();
    waiting().until(d -> shownBoxes() == 3);

    // A finger draws one more, from (230, 20) to (290, 90); the mouse then drags its
    // bottom-right handle 20 pixels right and down, to (310, 110).
    int[] touchFrom = screenOf(230, 20);
    int[] touchTo = screenOf(290, 90);
    PointerInput finger = new PointerInput(PointerInput.Kind.TOUCH, "finger");
    Sequence swipe = new Sequence(finger, 0);
    swipe.addAction(
        finger.createPointerMove(
            Duration.ZERO, PointerInput.Origin.viewport(), touchFrom[0], touchFrom[1]));
    swipe.addAction(finger.createPointerDown(PointerInput.MouseButton.LEFT.asArg()));
    swipe.addAction(
        finger.createPointerMove(
            Duration.ofMillis(100), PointerInput.Origin.viewport(), touchTo[0], touchTo[1]));
    swipe.addAction(finger.createPointerUp(PointerInput.MouseButton.LEFT.asArg()));
    js().executeScript(
            "window.pointerTypes = [];"
                + " document.getElementById('review-canvas').addEventListener('pointerdown',"
                + " (e) => window.pointerTypes.push(e.pointerType));");
    ((RemoteWebDriver) browser).perform(List.of(swipe));
    waiting().until(d -> shownBoxes() == 4);
    assertThat(String.valueOf(js().executeScript("return window.pointerTypes;")))
        .as("a touch, through the same Pointer Events as the mouse")
        .isEqualTo("[touch]");
    int[] handle = screenOf(290, 90);
    int[] handleTo = screenOf(310, 110);
    new Actions(browser)
        .moveToLocation(handle[0], handle[1])
        .clickAndHold()
        .moveToLocation(handleTo[0], handleTo[1])
        .release()
        .perform();

    // Keyboard: no selection, Tab to the first box, delete it; the graffiti box is selected next:
    // cycle its class to pothole, nudge it 3 pixels right, tick Reviewed, save with Enter.
    WebElement canvas = browser.findElement(By.id("review-canvas"));
    canvas.sendKeys(Keys.ESCAPE, Keys.TAB, Keys.DELETE);
    waiting().until(d -> shownBoxes() == 3);
    canvas.sendKeys("c", Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, "r");
    screenshot("10-review-edited", "review");
    canvas.sendKeys(Keys.ENTER);
    WebElement message = browser.findElement(By.id("review-message"));
    waiting().until(d -> message.getText().startsWith("saved"));

    JsonNode saved = http.get(path, token).json();
    assertThat(saved.get("source").asText()).isEqualTo("official");
    assertThat(saved.get("reviewed").asBoolean()).isTrue();
    assertThat(saved.get("reviewedBy").asText()).isEqualTo("Browser Official");
    JsonNode boxes = saved.get("boxes");
    assertThat(boxes.size()).isEqualTo(3);
    assertThat(boxes.get(0).toString())
        .as("the former graffiti box: relabelled and moved 3 px right, nothing else")
        .isEqualTo(
            "{\"class\":\"pothole\",\"box\":{\"xmin\":203.0,\"ymin\":150.0,\"xmax\":303.0,"
                + "\"ymax\":230.0}}");
    JsonNode drawn = boxes.get(1);
    assertThat(drawn.get("class").asText()).isEqualTo("graffiti");
    // Drawn in image pixels whatever the displayed scale: within the rounding of one screen pixel.
    double tolerance = 1.5 * 320 / canvas.getRect().getWidth() + 0.5;
    assertThat(drawn.at("/box/xmin").asDouble()).isCloseTo(100, within(tolerance));
    assertThat(drawn.at("/box/ymin").asDouble()).isCloseTo(60, within(tolerance));
    assertThat(drawn.at("/box/xmax").asDouble()).isCloseTo(180, within(tolerance));
    assertThat(drawn.at("/box/ymax").asDouble()).isCloseTo(130, within(tolerance));
    JsonNode touched = boxes.get(2);
    assertThat(touched.get("class").asText()).isEqualTo("graffiti");
    assertThat(touched.at("/box/xmin").asDouble()).isCloseTo(230, within(tolerance));
    assertThat(touched.at("/box/ymin").asDouble()).isCloseTo(20, within(tolerance));
    assertThat(touched.at("/box/xmax").asDouble()).isCloseTo(310, within(2 * tolerance));
    assertThat(touched.at("/box/ymax").asDouble()).isCloseTo(110, within(2 * tolerance));
    JsonNode history = http.get("/api/grievances/" + id, token).json().get("history");
    assertThat(history.get(history.size() - 1).get("to").asText())
        .isEqualTo("3 boxes (graffiti 2, pothole 1), reviewed");
    waiting().until(d -> d.findElement(By.id("history")).getText().contains("annotations"));

    // Someone else saves meanwhile: the next save is refused with a clear message, edits kept.
    assertThat(http.put(path, server.officials().add("Second Reviewer"), start, null).status())
        .isEqualTo(200);
    canvas.sendKeys(Keys.TAB, Keys.DELETE, Keys.ENTER);
    waiting().until(d -> message.getText().contains("someone else saved"));
    assertThat(shownBoxes()).isEqualTo(2);
    assertThat(http.get(path, token).json().get("boxes").size()).isEqualTo(2);
    screenshot("11-review-conflict", "review");
  }
}
