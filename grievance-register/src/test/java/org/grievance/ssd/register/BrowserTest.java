package org.grievance.ssd.register;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
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

    // Official: log in with a wrong token, then the right one.
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
        .isEqualTo("1");
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
}
