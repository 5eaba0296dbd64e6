package io.branchflow.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person's view of a branch's Airflow 3: headless Chromium, driven by Selenium, logs into the UI
 * (SimpleAuthManager's login page) and reads the DAG list, leaving a screenshot behind. Chromium
 * and chromedriver are Debian's packages ({@code hack/browser.sh ensure} installs them); both paths
 * are given to Selenium explicitly, so Selenium Manager never runs (it would try to download a
 * driver or a browser, which these machines cannot).
 */
public final class AirflowBrowser implements AutoCloseable {

  /**
   * The browser itself. Debian's {@code /usr/bin/chromium} is a shell wrapper that adds flags of
   * its own from /etc/chromium.d (remote extensions, Google API keys) which a test does not want.
   */
  static final Path CHROMIUM = Path.of("/usr/lib/chromium/chromium");

  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /** Airflow's React UI loads its scripts and then asks the API: seconds on a busy small node. */
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** A DAG's id in a link to one of its pages: {@code .../dags/<dag_id>[/...][?...]}. */
  private static final Pattern DAG_LINK = Pattern.compile("/dags/([^/?#]+)");

  private static final By USERNAME = By.name("username");

  /** The error code (ERR_CONNECTION_REFUSED, ...) on Chromium's page for a failed load. */
  private static final By NET_ERROR = By.cssSelector("body.neterror .error-code");

  private static final By SUBMIT = By.cssSelector("form button[type=submit]");

  /** Chakra UI's alert boxes: the login page's notice, and why a login was refused. */
  private static final By ALERT = By.cssSelector(".chakra-alert__root");

  /** Links to one DAG's pages (the list itself is "/dags", without the slash). */
  private static final By DAG_LINKS = By.cssSelector("a[href*='/dags/']");

  /**
   * Selenium looks for CDP bindings matching the browser's version when a ChromeDriver starts, and
   * warns when it has none (it has none for most Debian Chromium versions). This class speaks only
   * WebDriver, so that warning is noise. Held here: java.util.logging keeps loggers weakly.
   */
  private static final Logger CDP_VERSION_FINDER =
      Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

  static {
    CDP_VERSION_FINDER.setLevel(Level.SEVERE);
  }

  private final ChromeDriver driver;

  private AirflowBrowser(ChromeDriver driver) {
    this.driver = driver;
  }

  /** Whether Debian's chromium and chromium-driver are installed. */
  public static boolean available() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  }

  /** Starts headless Chromium (one chromedriver process and its browser) until {@link #close}. */
  public static AirflowBrowser open() {
    if (!available()) {
      throw new IllegalStateException(
          CHROMIUM + " or " + CHROMEDRIVER + " is missing: run hack/browser.sh ensure");
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        // Tests run as root, and Chromium's sandbox refuses root.
        "--no-sandbox",
        // Containers and small machines have a small /dev/shm; Chromium crashes when it fills.
        "--disable-dev-shm-usage",
        // Fixed, so screenshots of one page look alike from run to run.
        "--window-size=1400,900",
        // Nothing but the page under test: no update checks, sync, or first-run pages.
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--no-first-run",
        "--no-default-browser-check");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            // Never the test JVM's own stdout: Maven's test runner reads its events from it.
            .withLogOutput(java.io.OutputStream.nullOutputStream())
            .build();
    return new AirflowBrowser(new ChromeDriver(service, options));
  }

  /**
   * Opens Airflow's UI at {@code baseUrl}, logs in on the login page it redirects to, opens the DAG
   * list and returns the DAG ids it shows (in page order), after saving a PNG screenshot of that
   * list to {@code screenshot}. A failed login throws, naming the page it stopped at and what the
   * page said (never the password); the screenshot then shows that page.
   */
  public List<String> loginAndListDags(
      String baseUrl, String username, String password, Path screenshot) {
    String base = baseUrl.replaceAll("/+$", "");
    String loginPages = base + "/auth/";
    WebDriverWait wait = new WebDriverWait(driver, WAIT);
    wait.ignoring(StaleElementReferenceException.class);
    load(base + "/", screenshot);
    // The UI sends a browser without a session to SimpleAuthManager's login page
    // (/auth/login?next=/), a React form of its own. When nothing answers, Chromium shows its
    // error page instead: fail at once, naming its error.
    awaitOr(
        wait,
        ExpectedConditions.or(
            ExpectedConditions.visibilityOfElementLocated(USERNAME),
            ExpectedConditions.presenceOfElementLocated(NET_ERROR)),
        "no login form",
        screenshot);
    List<WebElement> netError = driver.findElements(NET_ERROR);
    if (!netError.isEmpty()) {
      throw failure(
          "cannot load " + base + "/: " + netError.get(0).getText().strip(), screenshot, null);
    }
    driver.findElement(USERNAME).sendKeys(username);
    try {
      driver.findElement(By.name("password")).sendKeys(password);
    } catch (WebDriverException e) {
      // Selenium's message names the command with its arguments: the password. Not passed on.
      throw failure(
          "cannot type into the password field (" + e.getClass().getName() + ")", screenshot, null);
    }
    // The page always shows one alert ("Simple auth manager enabled"); a refusal adds another.
    List<String> alertsBefore = alertTexts();
    // The button stays disabled until both fields are filled.
    awaitOr(wait, ExpectedConditions.elementToBeClickable(SUBMIT), "no enabled Sign in", screenshot)
        .click();
    // Let in: the page sends the browser on (to next=/, the Home page). Refused: it stays and
    // adds an alert such as "401 Unauthorized / Invalid credentials".
    awaitOr(
        wait,
        d ->
            !d.getCurrentUrl().startsWith(loginPages)
                || d.findElements(ALERT).size() > alertsBefore.size(),
        "the login page neither let " + username + " in nor refused",
        screenshot);
    if (driver.getCurrentUrl().startsWith(loginPages)) {
      List<String> said = alertTexts();
      said.removeAll(alertsBefore);
      throw failure(
          "login as "
              + username
              + " refused: "
              + (said.isEmpty() ? "(the page says nothing)" : String.join(" / ", said)),
          screenshot,
          null);
    }
    load(base + "/dags", screenshot);
    // The list arrives from the API after the page has loaded; all its rows render at once.
    awaitVisible(wait, DAG_LINKS, "no DAG links on the DAG list", screenshot);
    List<String> ids = dagIds();
    saveScreenshot(screenshot);
    return ids;
  }

  /** Navigates; chromedriver reports most failed loads (net::ERR_CONNECTION_REFUSED) as errors. */
  private void load(String url, Path screenshot) {
    try {
      driver.get(url);
    } catch (WebDriverException e) {
      String why = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
      throw failure("cannot load " + url + ": " + why, screenshot, e);
    }
  }

  private WebElement awaitVisible(WebDriverWait wait, By what, String missing, Path screenshot) {
    return awaitOr(wait, ExpectedConditions.visibilityOfElementLocated(what), missing, screenshot);
  }

  private <T> T awaitOr(
      WebDriverWait wait, Function<WebDriver, T> condition, String otherwise, Path screenshot) {
    try {
      return wait.until(condition);
    } catch (TimeoutException e) {
      throw failure(otherwise + " within " + WAIT.toSeconds() + " s", screenshot, e);
    }
  }

  /** Every DAG id linked from the page, once each: a DAG's card links to the DAG and its runs. */
  private List<String> dagIds() {
    Set<String> ids = new LinkedHashSet<>();
    for (WebElement link : driver.findElements(DAG_LINKS)) {
      Matcher m = DAG_LINK.matcher(String.valueOf(link.getAttribute("href")));
      // "~" stands for "every DAG" in some of Airflow 3's URLs (/dags/~/runs); it is no DAG id.
      if (m.find() && !m.group(1).equals("~")) {
        ids.add(m.group(1));
      }
    }
    return new ArrayList<>(ids);
  }

  /** The texts of the alerts on the page (Chakra UI's alert boxes), in page order. */
  private List<String> alertTexts() {
    List<String> texts = new ArrayList<>();
    for (WebElement alert : driver.findElements(ALERT)) {
      texts.add(alert.getText().strip().replaceAll("\\s*\\n\\s*", " "));
    }
    return texts;
  }

  /** Where the browser stopped, for the exception; a screenshot of it is saved best-effort. */
  private IllegalStateException failure(String what, Path screenshot, Exception cause) {
    String where;
    try {
      where = " at " + driver.getCurrentUrl() + " (title '" + driver.getTitle() + "')";
    } catch (RuntimeException e) {
      where = " (the browser no longer answers: " + e.getMessage() + ")";
    }
    try {
      saveScreenshot(screenshot);
      where += "; screenshot " + screenshot;
    } catch (RuntimeException e) {
      // The failure itself matters more than its picture.
    }
    return new IllegalStateException("Airflow UI: " + what + where, cause);
  }

  private void saveScreenshot(Path screenshot) {
    byte[] png = driver.getScreenshotAs(OutputType.BYTES);
    try {
      Path parent = screenshot.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.write(screenshot, png);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the screenshot " + screenshot, e);
    }
  }

  /** Ends the browser and its chromedriver. */
  @Override
  public void close() {
    driver.quit();
  }
}
