package com.tokenwallet.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin page end to end, in headless Chromium (Debian's {@code chromium}, driven by playwright-core from
 * infra/admin-ui/browser-test) against the local runner started here on 127.0.0.1: look up an account by id and by
 * e-mail address, see its balances, plan and ledger, grant tokens, reset it to a plan, draw its usage over time (SVG),
 * filter its ledger by type and bucket and export it as CSV; then the same facts through the API. Screenshots go to
 * {@code target/admin-ui-screenshots}. The README's two pictures of the page (docs/images) are two of them, copied there
 * only when asked ({@code -Dadmin.ui.updateImages=true}): a test run never rewrites tracked files.
 *
 * <p>Needs {@code chromium} and {@code node}/{@code npm} on this machine ({@code .ci/run} installs them). Without
 * them the test is skipped with a message, except under {@code CI=true}, where it fails: CI must run it.
 */
class AdminUiBrowserTest {
    private static final Path BROWSER_TEST = Path.of("..", "admin-ui", "browser-test").toAbsolutePath().normalize();
    private static final Path SCREENSHOTS = Path.of("target", "admin-ui-screenshots").toAbsolutePath();
    private static final Path README_IMAGES = Path.of("..", "..", "docs", "images").toAbsolutePath().normalize();
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration BROWSER_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path home;

    @Test
    @SuppressWarnings("unchecked")
    void anOperatorFindsAnAccount_grantsTokens_andResetsItToAPlan_inTheBrowser() throws Exception {
        String chromium = requireTool("chromium", Optional.ofNullable(System.getenv("CHROMIUM_PATH")).orElse("/usr/bin/chromium"));
        String node = requireTool("node", onPath("node"));
        String npm = requireTool("npm", onPath("npm"));
        installPlaywright(npm);

        try (LocalServer server = LocalServer.start(LocalServer.Options.inMemory(0, home.resolve("jwt-key")))) {
            LocalApi api = new LocalApi(server.url());
            LocalTokens tokens = LocalTokens.fromKeyFile(home.resolve("jwt-key"));
            String backend = tokens.mint("backend", List.of("wallet:charge"), Duration.ofMinutes(10));
            String admin = tokens.mint("ops", List.of("wallet:admin"), Duration.ofMinutes(10));
            assertThat(api.request("PUT", "/v1/accounts/ada").token(backend).json("{\"email\":\"Ada.Lovelace@Example.com\"}").send().status())
                    .isEqualTo(201);
            assertThat(api.request("POST", "/v1/accounts/ada/debits").token(backend).idempotencyKey("seed")
                    .json("{\"bucket\":\"credits\",\"amount\":3,\"description\":\"seed\"}").send().status()).isEqualTo(201);

            run(List.of(node, BROWSER_TEST.resolve("admin-ui.browser.mjs").toString()), BROWSER_TIMEOUT, Map.of(
                    "BASE_URL", server.url(), "ADMIN_TOKEN", admin, "CHROMIUM", chromium,
                    "SCREENSHOT_DIR", SCREENSHOTS.toString(), "ACCOUNT_ID", "ada", "ACCOUNT_EMAIL", "ada.lovelace@example.com"));

            // What the page did, as the API sees it.
            Map<String, Object> account = api.get("/admin/accounts/ada", admin).json();
            Map<String, Object> buckets = (Map<String, Object>) account.get("buckets");
            assertThat(account).containsEntry("plan", "solo");
            assertThat((Map<String, Object>) buckets.get("credits")).containsEntry("purchased", 32)
                    .containsEntry("creditLimit", 40).containsEntry("debt", 0).containsEntry("available", 32 + 40);
            assertThat((Map<String, Object>) buckets.get("mockup")).containsEntry("allowance", 3);
            List<Map<String, Object>> ledger = (List<Map<String, Object>>) api.get("/v1/accounts/ada/transactions?limit=20", admin)
                    .json().get("items");
            assertThat(ledger).filteredOn(e -> "grant".equals(e.get("type"))).singleElement().satisfies(e -> assertThat(e)
                    .containsEntry("amount", 25).containsEntry("description", "browser test: goodwill after outage")
                    .containsEntry("metadata", Map.of("admin", "ops")));
            assertThat(ledger).filteredOn(e -> "credit_limit".equals(e.get("type"))).singleElement().satisfies(e -> assertThat(e)
                    .containsEntry("bucket", "credits").containsEntry("amount", 0).containsEntry("description", "browser test: trial credit"));
            assertThat(ledger).filteredOn(e -> "plan_reset".equals(e.get("type")))
                    .allSatisfy(e -> assertThat((String) e.get("description")).endsWith("browser test: upgrade")).isNotEmpty();
        }
        for (String shot : List.of("01-account-by-id.png", "02-account-by-email.png", "03-granted.png", "04-reset-to-plan.png",
                "05-usage-chart.png", "06-ledger-filtered.png", "07-ledger-table.png")) {
            byte[] png = Files.readAllBytes(SCREENSHOTS.resolve(shot));
            assertThat(png.length).as(shot).isGreaterThan(10_000);
            assertThat(new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).as(shot + " is a PNG").isEqualTo("PNG");
        }
        // The README's pictures of the page are these screenshots, not drawings, copied to docs/images when asked.
        // Only parts of the page: a full-page shot shows the pasted token.
        if (!Boolean.getBoolean("admin.ui.updateImages")) {
            return;
        }
        Files.createDirectories(README_IMAGES);
        Files.copy(SCREENSHOTS.resolve("05-usage-chart.png"), README_IMAGES.resolve("admin-usage-chart.png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(SCREENSHOTS.resolve("07-ledger-table.png"), README_IMAGES.resolve("admin-ledger.png"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void thePageIsServedAtItsPath_withStrictHeaders_andNothingElseIs() {
        try (LocalServer server = LocalServer.start(LocalServer.Options.inMemory(0, home.resolve("jwt-key")))) {
            LocalApi api = new LocalApi(server.url());
            LocalApi.Reply page = api.get("/admin-ui/", null);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("content-type")).startsWith("text/html");
            assertThat(page.header("content-security-policy")).contains("default-src 'none'", "frame-ancestors 'none'");
            assertThat(page.header("x-content-type-options")).isEqualTo("nosniff");
            assertThat(page.body()).contains("<script src=\"admin.js\"></script>");
            assertThat(api.get("/admin-ui/index.html", null).body()).isEqualTo(page.body());
            assertThat(api.get("/admin-ui/admin.js", null).header("content-type")).startsWith("text/javascript");
            assertThat(api.get("/admin-ui/admin.css", null).status()).isEqualTo(200);
            assertThat(api.get("/admin-ui/../pom.xml", null).status()).isEqualTo(404);
            assertThat(api.get("/admin-ui/browser-test/package.json", null).status()).isEqualTo(404);
            assertThat(api.request("POST", "/admin-ui/").send().status()).isEqualTo(405);
            assertThat(api.request("GET", "/admin-ui").send().status()).isEqualTo(301);
        }
    }

    /** The tool's path; without it, a skip with the reason, or under CI=true a failure. */
    static String requireTool(String name, String path) {
        if (path != null && new File(path).canExecute()) {
            return path;
        }
        String message = name + " is not installed (looked for " + path + "); the admin page's browser test needs it."
                + " Install it (apt-get install -y chromium nodejs npm) or run .ci/run, which does.";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message);
        }
        Assumptions.abort(message);
        return null;
    }

    static String onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    /** playwright-core, pinned in package-lock.json, into infra/admin-ui/browser-test/node_modules (once). */
    private static void installPlaywright(String npm) throws Exception {
        installPlaywright(npm, BROWSER_TEST, SCREENSHOTS);
    }

    /** playwright-core, pinned in {@code dir}'s package-lock.json, into {@code dir}/node_modules (once). */
    static void installPlaywright(String npm, Path dir, Path screenshots) throws Exception {
        Path installed = dir.resolve("node_modules/playwright-core/package.json");
        String lock = Files.readString(dir.resolve("package-lock.json"));
        if (Files.exists(installed) && lock.contains("\"version\": \"" + version(Files.readString(installed)) + "\"")) {
            return;
        }
        run(List.of(npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--prefix", dir.toString()), NPM_TIMEOUT, Map.of(), dir, screenshots);
    }

    private static String version(String packageJson) {
        var m = java.util.regex.Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(packageJson);
        return m.find() ? m.group(1) : "?";
    }

    /** Runs a command to its end within {@code timeout}, or kills it; fails with its output unless it exits 0. */
    private static void run(List<String> command, Duration timeout, Map<String, String> environment) throws IOException, InterruptedException {
        run(command, timeout, environment, BROWSER_TEST, SCREENSHOTS);
    }

    /** Runs a command in {@code dir} to its end within {@code timeout}, or kills it; fails with its output unless it exits 0. */
    static void run(List<String> command, Duration timeout, Map<String, String> environment, Path dir, Path screenshots)
            throws IOException, InterruptedException {
        Files.createDirectories(screenshots);
        Path log = Files.createTempFile("command", ".log");
        log.toFile().deleteOnExit();
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        boolean finished = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            fail(String.join(" ", command.subList(0, Math.min(2, command.size()))) + " did not finish within " + timeout + ":\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        System.out.println(output);
        assertThat(process.exitValue()).as("%s exited with output:%n%s", command.getFirst(), output).isZero();
    }
}
