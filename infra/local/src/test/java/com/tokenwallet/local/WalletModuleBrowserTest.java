package com.tokenwallet.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * token-wallet.js (issue 17), the browser module for any front end, through its example page in headless Chromium
 * (as {@link AdminUiBrowserTest}: Debian's {@code chromium}, playwright-core from infra/wallet-js/browser-test)
 * against the local runner: the balance and a quote before running, a run charged by the backend, the purchase
 * offered when the quote or the backend's 402 says the tokens are short, and a Checkout Session opened (Stripe stood
 * in for on 127.0.0.1, its hosted page by the browser script). Screenshots go to {@code target/wallet-js-screenshots}.
 * Skipped without chromium, node or npm, except under {@code CI=true}, where it fails.
 */
class WalletModuleBrowserTest {
    private static final Path BROWSER_TEST = Path.of("..", "wallet-js", "browser-test").toAbsolutePath().normalize();
    private static final Path SCREENSHOTS = Path.of("target", "wallet-js-screenshots").toAbsolutePath();

    @TempDir
    Path home;

    @Test
    void aUserSeesTheBalanceAndTheCost_runsAFeature_andIsOfferedAPackageWhenShort() throws Exception {
        String chromium = AdminUiBrowserTest.requireTool("chromium", Optional.ofNullable(System.getenv("CHROMIUM_PATH")).orElse("/usr/bin/chromium"));
        String node = AdminUiBrowserTest.requireTool("node", AdminUiBrowserTest.onPath("node"));
        String npm = AdminUiBrowserTest.requireTool("npm", AdminUiBrowserTest.onPath("npm"));
        AdminUiBrowserTest.installPlaywright(npm, BROWSER_TEST, SCREENSHOTS);

        try (StripeStandIn stripe = StripeStandIn.start();
             LocalServer server = LocalServer.start(LocalServer.Options.inMemory(0, home.resolve("jwt-key")))) {
            LocalApi api = new LocalApi(server.url());
            LocalTokens tokens = LocalTokens.fromKeyFile(home.resolve("jwt-key"));
            String user = tokens.mint("kim", List.of("wallet:read"), Duration.ofMinutes(10));
            String backend = tokens.mint("backend", List.of("wallet:charge"), Duration.ofMinutes(10));
            assertThat(api.request("PUT", "/v1/accounts/kim").token(user).send().status()).isEqualTo(201);

            AdminUiBrowserTest.run(List.of(node, BROWSER_TEST.resolve("wallet-js.browser.mjs").toString()), Duration.ofMinutes(3), Map.of(
                    "BASE_URL", server.url(), "CHROMIUM", chromium, "SCREENSHOT_DIR", SCREENSHOTS.toString(),
                    "ACCOUNT_ID", "kim", "USER_TOKEN", user, "BACKEND_TOKEN", backend), BROWSER_TEST, SCREENSHOTS);

            // What the page did, as the API and Stripe saw it: one charge of 10, one session for the starter package.
            List<?> ledger = (List<?>) api.get("/v1/accounts/kim/transactions", user).json().get("items");
            assertThat(ledger).hasSize(2);
            assertThat(String.valueOf(ledger.getFirst())).contains("type=debit", "amount=-10", "operation=voice_interview");
            assertThat(stripe.calls()).filteredOn(c -> c.path().equals("/v1/checkout/sessions")).singleElement()
                    .satisfies(c -> assertThat(java.net.URLDecoder.decode(c.body(), StandardCharsets.UTF_8)).contains("kim"));
        }
        for (String shot : List.of("01-balance-and-quote.png", "02-offer-after-402.png")) {
            byte[] png = Files.readAllBytes(SCREENSHOTS.resolve(shot));
            assertThat(png.length).as(shot).isGreaterThan(10_000);
            assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).as(shot + " is a PNG").isEqualTo("PNG");
        }
    }

    @Test
    void theModuleAndItsExampleAreServed_andNothingElseIs() {
        try (LocalServer server = LocalServer.start(LocalServer.Options.inMemory(0, home.resolve("jwt-key")))) {
            LocalApi api = new LocalApi(server.url());
            LocalApi.Reply module = api.get("/wallet-js/token-wallet.js", null);
            assertThat(module.status()).isEqualTo(200);
            assertThat(module.header("content-type")).startsWith("text/javascript");
            assertThat(module.body()).contains("export class TokenWallet", "export async function insufficientTokens",
                    "export async function offerPurchase");
            assertThat(module.header("content-security-policy")).contains("default-src 'none'");
            assertThat(api.get("/wallet-js/", null).body()).contains("<script type=\"module\" src=\"example.js\"></script>");
            assertThat(api.get("/wallet-js/browser-test/package.json", null).status()).isEqualTo(404);
            assertThat(api.get("/wallet-js/../pom.xml", null).status()).isEqualTo(404);
            assertThat(api.get("/admin-ui/", null).status()).isEqualTo(200);
        }
    }
}
