package transfuse.servertests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.ObjectMapper;

import transfuse.testkit.server.Transfuse;

/**
 * The web page at {@code /} in a real browser (headless Chromium) against the real server process:
 * the token from the printed URL, a fuse job submitted from the form whose progress bar reaches
 * 100 % and whose detail shows the result table and working artifact links, then a barrier job
 * whose {@code curve.svg} is drawn in the page. Two tiny digits ViTs are trained first with the CLI.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebPageTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Path work;
    private Path home;
    private Path downloads;
    private Transfuse.Server server;
    private ChromeDriver browser;

    @BeforeAll
    void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            fail("the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": install Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver)");
        }
        work = Files.createTempDirectory("transfuse-server-tests");
        home = Files.createDirectories(work.resolve("home"));
        downloads = Files.createDirectories(work.resolve("downloads"));
        long t0 = System.nanoTime();
        // The server accepts model paths inside HOME/models only.
        for (String seed : List.of("1", "2")) {
            Transfuse.run(home, "train", "--arch", "vit", "--data", "digits:256", "--epochs", "1", "--batch", "64",
                    "--seed", seed, "--out", home.resolve("models").resolve(seed.equals("1") ? "a" : "b").toString());
        }
        long t1 = System.nanoTime();
        server = Transfuse.serve(home, work.resolve("server.txt"));
        long t2 = System.nanoTime();
        browser = chromium();
        System.out.printf("web page test: two models trained in %.1f s, server healthy in %.1f s, browser up in %.1f s%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (System.nanoTime() - t2) / 1e9);
    }

    /** Debian's chromium and chromedriver, named explicitly so Selenium Manager never downloads one. */
    private ChromeDriver chromium() throws IOException {
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1440,1000", "--user-data-dir=" + Files.createDirectories(work.resolve("chromium")));
        options.setExperimentalOption("prefs", Map.of("download.default_directory", downloads.toString(),
                "download.prompt_for_download", false));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().withLogFile(work.resolve("chromedriver.log").toFile()).build();
        return new ChromeDriver(service, options);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            if (server != null) {
                server.close();
            }
            if (work != null) {
                try (Stream<Path> walk = Files.walk(work)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    @Test
    @Order(1)
    void pageAndStaticFilesAreServedWithoutTokenAndUnknownPathsAreJson404() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String[] c : new String[][] {{"/", "text/html"}, {"/static/app.js", "text/javascript"},
                {"/static/app.css", "text/css"}}) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.url() + c[0])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), c[0] + ": " + r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith(c[1]), c[0] + " " + r.headers());
            assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(""), c[0]);
        }
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/static/missing.js"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode(), missing.body());
        assertTrue(((String) JSON.readValue(missing.body(), Map.class).get("error")).startsWith("no such page"),
                missing.body());
    }

    @Test
    @Order(2)
    void withoutTokenThePageAsksForIt() {
        browser.get(server.url() + "/");
        WebElement auth = waitFor(By.id("auth"), Duration.ofSeconds(20));
        wait(Duration.ofSeconds(20)).until(d -> auth.isDisplayed());
        assertTrue(auth.getText().contains("Paste the token printed by transfuse serve"), auth.getText());
        browser.findElement(By.id("auth-token")).sendKeys(server.token());
        browser.findElement(By.cssSelector("#auth-form button")).click();
        wait(Duration.ofSeconds(20)).until(d -> !auth.isDisplayed());
        sessionStorageClear();
    }

    @Test
    @Order(3)
    void fuseFromTheFormReaches100PercentAndShowsResultAndArtifacts() throws Exception {
        openWithToken();
        // A refusal shows the server's one error line: here a model outside HOME/models.
        String refusal = submitRefused("fuse", "{\"models\": [\"/etc\", \"/etc\"]}");
        assertTrue(refusal.contains("/etc"), refusal);
        System.out.println("web page test: the page showed " + refusal);
        String models = "[\"" + home.resolve("models/a") + "\", \"" + home.resolve("models/b") + "\"]";
        long start = System.nanoTime();
        String id = submit("fuse", "{\"models\": " + models + ", \"method\": \"ot\", \"solver\": \"emd\","
                + " \"data\": \"digits:128\", \"samples\": 128}");
        WebElement row = awaitSucceeded(id);
        System.out.printf("web page test: fuse job %s succeeded %.1f s after submit, as the page showed%n", id,
                (System.nanoTime() - start) / 1e9);
        WebElement bar = row.findElement(By.cssSelector("td.progress progress"));
        assertEquals("1", bar.getAttribute("value"), "the progress bar is full");
        assertTrue(row.findElement(By.cssSelector("td.progress")).getText().contains("100 %"), row.getText());

        // The detail opened on submit; it shows the CLI's --json object as a table and the model's files.
        awaitDetail(id);
        List<String> resultKeys = browser.findElements(By.cssSelector("#detail-result th")).stream()
                .map(WebElement::getText).toList();
        assertTrue(resultKeys.containsAll(List.of("models", "options", "spaces")), resultKeys.toString());
        List<String> artifacts = wait(Duration.ofSeconds(30)).until(d -> {
            List<String> paths = d.findElements(By.cssSelector("#detail-artifacts a[data-path]")).stream()
                    .map(a -> a.getAttribute("data-path")).toList();
            return paths.isEmpty() ? null : paths;
        });
        assertTrue(artifacts.containsAll(List.of("model/config.json", "model/model.safetensors")), artifacts.toString());

        // An artifact link downloads with the token (fetch + blob), here the fused model's config.
        browser.findElement(By.cssSelector("#detail-artifacts a[data-path='model/config.json']")).click();
        Path config = downloads.resolve("config.json");
        wait(Duration.ofSeconds(30)).until(d -> Files.isRegularFile(config));
        wait(Duration.ofSeconds(10)).until(d -> readableJson(config));
        assertEquals("vit", JSON.readValue(config.toFile(), Map.class).get("model_type"));
    }

    @Test
    @Order(4)
    void barrierFromYamlSpecDrawsItsCurveInThePage() throws Exception {
        openWithToken();
        long start = System.nanoTime();
        // Flat YAML this time: the page's own parser turns it into the spec object.
        String id = submit("barrier", "models: [" + home.resolve("models/a") + ", " + home.resolve("models/b") + "]\n"
                + "method: perm   # permutation alignment\ndata: digits:128\nsamples: 128\nsteps: 3\n");
        awaitSucceeded(id);
        System.out.printf("web page test: barrier job %s succeeded %.1f s after submit%n", id,
                (System.nanoTime() - start) / 1e9);
        awaitDetail(id);
        WebElement plot = wait(Duration.ofSeconds(30)).until(d ->
                d.findElements(By.cssSelector("#detail-plots img[data-path='curve.svg']")).stream().findFirst().orElse(null));
        wait(Duration.ofSeconds(10)).until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "return arguments[0].complete && arguments[0].naturalWidth > 0", plot));
        assertTrue(plot.getSize().getWidth() > 100, "the plot is drawn, " + plot.getSize());
        List<String> resultKeys = browser.findElements(By.cssSelector("#detail-result th")).stream()
                .map(WebElement::getText).toList();
        assertTrue(resultKeys.contains("barrier"), resultKeys.toString());
        // The log panel is filled from GET .../log: the lines, or a note that the job wrote none.
        assertFalse(browser.findElement(By.id("detail-log")).getText().isBlank(), "the log panel is filled");
        screenshot();
    }

    // ------------------------------------------------------------------ helpers

    private void openWithToken() {
        browser.get(server.url() + "/?token=" + server.token());
        // The page keeps the token in sessionStorage and takes it out of the address bar.
        wait(Duration.ofSeconds(20)).until(d -> !d.getCurrentUrl().contains("token="));
        wait(Duration.ofSeconds(30)).until(d -> !new Select(d.findElement(By.id("submit-kind"))).getOptions().isEmpty());
        assertFalse(browser.findElement(By.id("auth")).isDisplayed(), "no token prompt with ?token=");
    }

    /** Submits from the form; answers the new job's id the page reports. */
    private String submit(String kind, String spec) {
        new Select(browser.findElement(By.id("submit-kind"))).selectByValue(kind);
        WebElement text = browser.findElement(By.id("submit-spec"));
        text.clear();
        text.sendKeys(spec);
        WebElement message = browser.findElement(By.id("submit-message"));
        String before = message.getAttribute("data-job-id");
        browser.findElement(By.id("submit-button")).click();
        return wait(Duration.ofSeconds(30)).until(d -> {
            if (message.getAttribute("class").contains("error")) {
                fail("the server refused the " + kind + " job: " + message.getText());
            }
            String id = message.getAttribute("data-job-id");
            return id != null && !id.equals(before) ? id : null;
        });
    }

    /** Submits a spec the server refuses; answers the message the page shows. */
    private String submitRefused(String kind, String spec) {
        new Select(browser.findElement(By.id("submit-kind"))).selectByValue(kind);
        WebElement text = browser.findElement(By.id("submit-spec"));
        text.clear();
        text.sendKeys(spec);
        browser.findElement(By.id("submit-button")).click();
        WebElement message = browser.findElement(By.id("submit-message"));
        wait(Duration.ofSeconds(30)).until(d -> message.getAttribute("class").contains("error"));
        assertTrue(message.getText().matches("refused \\(4\\d\\d\\): .+"), message.getText());
        return message.getText();
    }

    /** Waits for the job's row to say succeeded (failing at once on failed or cancelled); answers the row. */
    private WebElement awaitSucceeded(String id) throws IOException {
        By row = By.cssSelector("#jobs tr[data-job-id='" + id + "']");
        double[] maxBelowOne = {0};
        WebElement done = wait(JOB_TIMEOUT).until(d -> {
            List<WebElement> rows = d.findElements(row);
            if (rows.isEmpty()) {
                return null;
            }
            String state = rows.get(0).findElement(By.cssSelector("td.state")).getText();
            String value = rows.get(0).findElement(By.cssSelector("td.progress progress")).getAttribute("value");
            double fraction = value == null || value.isEmpty() ? 0 : Double.parseDouble(value);
            if (fraction < 1) {
                maxBelowOne[0] = Math.max(maxBelowOne[0], fraction);
            }
            if (state.equals("failed") || state.equals("cancelled")) {
                fail("job " + id + " " + state + ": " + d.findElement(By.id("detail-facts")).getText());
            }
            return state.equals("succeeded") ? rows.get(0) : null;
        });
        System.out.printf("web page test: job %s's bar was seen at %.0f %% before it was full%n", id, maxBelowOne[0] * 100);
        return done;
    }

    private void awaitDetail(String id) {
        wait(Duration.ofSeconds(30)).until(d -> d.findElement(By.id("detail")).isDisplayed()
                && d.findElement(By.id("detail-title")).getText().contains(id)
                && d.findElement(By.id("detail-facts")).getText().contains("succeeded")
                && !d.findElements(By.cssSelector("#detail-result th")).isEmpty());
    }

    private static boolean readableJson(Path file) {
        try {
            JSON.readValue(file.toFile(), Map.class);
            return true;
        } catch (IOException e) {
            return false; // still being written
        }
    }

    /** The job list and the open job, at the height they take (plugins and bundles cut off). */
    private void screenshot() throws IOException {
        Number bottom = (Number) browser.executeScript("return Math.ceil(Math.max("
                + "document.getElementById('detail').getBoundingClientRect().bottom,"
                + "document.getElementById('submit-section').getBoundingClientRect().bottom) + window.scrollY + 16)");
        Number chrome = (Number) browser.executeScript("return window.outerHeight - window.innerHeight");
        browser.manage().window().setSize(new Dimension(1440, Math.min(2400, bottom.intValue() + chrome.intValue())));
        Path png = Path.of(System.getProperty("screenshot", "target/server-page.png"));
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, browser.getScreenshotAs(OutputType.BYTES));
        System.out.println("web page test: screenshot " + png.toAbsolutePath());
    }

    private void sessionStorageClear() {
        browser.executeScript("sessionStorage.clear()");
    }

    private WebElement waitFor(By by, Duration timeout) {
        return wait(timeout).until(d -> d.findElements(by).stream().findFirst().orElse(null));
    }

    private WebDriverWait wait(Duration timeout) {
        WebDriverWait w = new WebDriverWait(browser, timeout, Duration.ofMillis(200));
        w.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return w;
    }
}
