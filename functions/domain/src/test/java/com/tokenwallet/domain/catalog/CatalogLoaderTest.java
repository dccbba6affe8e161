package com.tokenwallet.domain.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.testing.TestCatalogs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** An operator's replacement catalog file is read, and a bad one fails at load with a message that says why. */
class CatalogLoaderTest {

    private static final String REPLACEMENT = """
            {
              "buckets": ["gems", "credits"],
              "signupGrant": {"bucket": "gems", "amount": 3},
              "defaultPlan": "basic",
              "operations": {
                "render": {"bucket": "gems", "cost": 7},
                "ai_chat": {"bucket": "credits", "cost": 2}
              },
              "packages": {
                "gem_pack": {"name": "Gem pack", "tokens": {"gems": 40}, "priceCents": 499, "currency": "eur"}
              },
              "plans": {
                "basic": {"name": "Basic", "allowance": {"gems": 4}}
              }
            }
            """;

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void load_readsAReplacementCatalog_insteadOfTheDefault() throws IOException {
        Path file = write("catalog.json", REPLACEMENT);

        Catalog catalog = CatalogLoader.load(file.toString());

        assertThat(catalog.buckets()).containsExactly("gems", "credits");
        assertThat(catalog.operations()).containsOnlyKeys("render", "ai_chat");
        assertThat(catalog.price("render", Map.of())).isEqualTo(new Charge("gems", 7, "render", null));
        assertThat(catalog.price("ai_chat", Map.of()).amountTokens()).isEqualTo(2);
        assertThat(catalog.packages().get("gem_pack"))
                .isEqualTo(new CreditPackage("gem_pack", "Gem pack", Map.of("gems", 40L), Map.of(), 499, "eur"));
        assertThat(catalog.defaultPlan()).isEqualTo("basic");
        assertThat(catalog.planOrDefault("basic").allowanceFor("gems")).isEqualTo(4);
        assertThat(catalog.signupGrantBucket()).isEqualTo("gems");
        assertThat(catalog.signupGrantTokens()).isEqualTo(3);
    }

    @Test
    void load_ofACopyOfTheDefaultFile_equalsTheDefaultCatalog() throws IOException {
        Path file = write("copy.json", TestCatalogs.defaultText());

        assertThat(CatalogLoader.load(file.toString())).isEqualTo(CatalogLoader.loadDefault());
    }

    @Test
    void load_ofAFileWithoutASignupGrantAmount_ofZero_isAccepted() throws IOException {
        Path file = write("nogrant.json", REPLACEMENT.replace("\"amount\": 3", "\"amount\": 0"));

        assertThat(CatalogLoader.load(file.toString()).signupGrantTokens()).isZero();
    }

    /** A mutation of the default catalog's text that breaks one rule, and what the message must say. */
    static Stream<Arguments> brokenRules() {
        return Stream.of(
                broken("missing buckets", "\"buckets\": [\"credits\", \"mockup\", \"dol\", \"weather\"],", "",
                        "buckets: must be a JSON array"),
                broken("no buckets", "[\"credits\", \"mockup\", \"dol\", \"weather\"]", "[]",
                        "buckets: at least one bucket is required"),
                broken("duplicate bucket", "[\"credits\", \"mockup\", \"dol\", \"weather\"]", "[\"credits\", \"mockup\", \"dol\", \"weather\", \"dol\"]",
                        "buckets: 'dol' must be a unique lower-case name"),
                broken("upper-case bucket", "[\"credits\", \"mockup\"", "[\"Credits\", \"credits\", \"mockup\"",
                        "buckets: 'Credits' must be a unique lower-case name"),
                broken("operation without cost", "\"ai_chat\": {\"bucket\": \"credits\", \"cost\": 1}", "\"ai_chat\": {\"bucket\": \"credits\"}",
                        "operations.ai_chat: exactly one of 'cost' or 'perMinute' is required"),
                broken("operation with cost and perMinute", "\"ai_chat\": {\"bucket\": \"credits\", \"cost\": 1}",
                        "\"ai_chat\": {\"bucket\": \"credits\", \"cost\": 1, \"perMinute\": {}}",
                        "operations.ai_chat: exactly one of 'cost' or 'perMinute' is required"),
                broken("negative cost", "\"ai_chat\": {\"bucket\": \"credits\", \"cost\": 1}", "\"ai_chat\": {\"bucket\": \"credits\", \"cost\": -1}",
                        "operations.ai_chat.cost: must be a whole number from 1 to 1000000000, was -1"),
                broken("zero cost", "\"ai_chat\": {\"bucket\": \"credits\", \"cost\": 1}", "\"ai_chat\": {\"bucket\": \"credits\", \"cost\": 0}",
                        "operations.ai_chat.cost: must be a whole number"),
                broken("fractional cost", "\"ai_chat\": {\"bucket\": \"credits\", \"cost\": 1}", "\"ai_chat\": {\"bucket\": \"credits\", \"cost\": 1.5}",
                        "operations.ai_chat.cost: must be a whole number"),
                broken("cost as text", "\"ai_chat\": {\"bucket\": \"credits\", \"cost\": 1}", "\"ai_chat\": {\"bucket\": \"credits\", \"cost\": \"1\"}",
                        "operations.ai_chat.cost: must be a whole number"),
                broken("operation without bucket", "\"ai_chat\": {\"bucket\": \"credits\", \"cost\": 1}", "\"ai_chat\": {\"cost\": 1}",
                        "operations.ai_chat.bucket: 'null' is not one of the buckets"),
                broken("operation on an unknown bucket", "\"ai_chat\": {\"bucket\": \"credits\", \"cost\": 1}", "\"ai_chat\": {\"bucket\": \"gems\", \"cost\": 1}",
                        "operations.ai_chat.bucket: 'gems' is not one of the buckets"),
                broken("badly named operation", "\"ai_chat\":", "\"AI-Chat\":",
                        "operations.AI-Chat: the name must match"),
                broken("video minMinutes above maxMinutes", "\"minMinutes\": 1,", "\"minMinutes\": 200,",
                        "operations.video_generation.perMinute: minMinutes 200 is above maxMinutes 120"),
                broken("video without rates", "\"rates\": {\"720p\": 5, \"1080p\": 8}", "\"rates\": {}",
                        "operations.video_generation.perMinute.rates: at least one rate is required"),
                broken("video zero rate", "\"720p\": 5", "\"720p\": 0",
                        "operations.video_generation.perMinute.rates.720p: must be a whole number"),
                broken("video negative add-on", "\"customMusic\": 2", "\"customMusic\": -2",
                        "operations.video_generation.perMinute.addOns.customMusic: must be a whole number"),
                broken("negative package price", "\"bonusTokens\": {\"credits\": 0}, \"priceCents\": 999",
                        "\"bonusTokens\": {\"credits\": 0}, \"priceCents\": -999",
                        "packages.starter.priceCents: must be a whole number from 1 to 100000000, was -999"),
                broken("free package", "\"bonusTokens\": {\"credits\": 0}, \"priceCents\": 999",
                        "\"bonusTokens\": {\"credits\": 0}, \"priceCents\": 0",
                        "packages.starter.priceCents: must be a whole number"),
                broken("bad currency", "\"priceCents\": 999, \"currency\": \"usd\"}", "\"priceCents\": 999, \"currency\": \"dollars\"}",
                        "packages.starter.currency: must be a string matching"),
                broken("negative package tokens", "\"tokens\": {\"credits\": 50}", "\"tokens\": {\"credits\": -50}",
                        "packages.starter.tokens.credits: must be a whole number"),
                broken("package without tokens", "\"tokens\": {\"credits\": 50}", "\"tokens\": {}",
                        "packages.starter.tokens: at least one bucket is required"),
                broken("package tokens in an unknown bucket", "\"tokens\": {\"credits\": 50}", "\"tokens\": {\"gold\": 50}",
                        "packages.starter.tokens.gold: not one of the buckets"),
                broken("negative bonus", "\"bonusTokens\": {\"credits\": 10}", "\"bonusTokens\": {\"credits\": -10}",
                        "packages.pro.bonusTokens.credits: must be a whole number"),
                broken("package without name", "\"starter\": {\"name\": \"Starter\", ", "\"starter\": {",
                        "packages.starter.name: must be a string"),
                broken("unknown bucket in a plan", "\"solo\": {\"name\": \"Solo\", \"allowance\": {",
                        "\"solo\": {\"name\": \"Solo\", \"allowance\": {\"gold\": 1, ",
                        "plans.solo.allowance.gold: not one of the buckets"),
                broken("negative plan allowance", "\"allowance\": {\"mockup\": 3,", "\"allowance\": {\"mockup\": -3,",
                        "plans.solo.allowance.mockup: must be a whole number"),
                broken("plan without allowance", "\"solo\": {\"name\": \"Solo\", \"allowance\": {\"mockup\": 3, \"dol\": 3, \"weather\": 2, \"credits\": 0}}",
                        "\"solo\": {\"name\": \"Solo\"}",
                        "plans.solo.allowance: must be a JSON object"),
                broken("plan without name", "\"solo\": {\"name\": \"Solo\", ", "\"solo\": {",
                        "plans.solo.name: must be a string"),
                broken("default plan that does not exist", "\"defaultPlan\": \"free\"", "\"defaultPlan\": \"gold\"",
                        "defaultPlan: 'gold' is not one of the plans"),
                broken("missing signup grant", "\"signupGrant\": {\"bucket\": \"credits\", \"amount\": 10},", "",
                        "signupGrant: must be a JSON object"),
                broken("signup grant in an unknown bucket", "\"signupGrant\": {\"bucket\": \"credits\"", "\"signupGrant\": {\"bucket\": \"gems\"",
                        "signupGrant.bucket: 'gems' is not one of the buckets"),
                broken("negative signup grant", "\"amount\": 10}", "\"amount\": -10}",
                        "signupGrant.amount: must be a whole number from 0"),
                broken("missing packages", "\"packages\": {", "\"pakages\": {",
                        "packages: must be a JSON object"),
                // Issue 19 item 4: a misspelled optional field used to fall back to its default in silence.
                broken("misspelled package price", "\"bonusTokens\": {\"credits\": 0}, \"priceCents\": 999",
                        "\"bonusTokens\": {\"credits\": 0}, \"priceCents\": 999, \"priceCent\": 99",
                        "packages.starter.priceCent: unknown field"),
                broken("misspelled bonus", "\"bonusTokens\": {\"credits\": 10}", "\"bonusToken\": {\"credits\": 10}",
                        "packages.pro.bonusToken: unknown field"),
                broken("misspelled default plan", "\"defaultPlan\": \"free\"", "\"defaultplan\": \"free\"",
                        "defaultplan: unknown field"),
                broken("misspelled resolution parameter", "\"resolutionParam\": \"resolution\"", "\"resolutionParm\": \"resolution\"",
                        "operations.video_generation.perMinute.resolutionParm: unknown field"),
                broken("misspelled add-ons", "\"addOns\": {", "\"addons\": {",
                        "operations.video_generation.perMinute.addons: unknown field"),
                broken("unknown field in an operation", "\"ai_chat\": {\"bucket\": \"credits\", \"cost\": 1}",
                        "\"ai_chat\": {\"bucket\": \"credits\", \"cost\": 1, \"costs\": 2}", "operations.ai_chat.costs: unknown field"),
                broken("unknown field in a plan", "\"solo\": {\"name\": \"Solo\", ", "\"solo\": {\"name\": \"Solo\", \"price\": 5, ",
                        "plans.solo.price: unknown field"),
                broken("unknown field in the signup grant", "\"amount\": 10}", "\"amount\": 10, \"amont\": 5}",
                        "signupGrant.amont: unknown field"));
    }

    private static Arguments broken(String why, String from, String to, String expected) {
        return Arguments.of(why, TestCatalogs.defaultTextWith(from, to), expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenRules")
    void load_ofACatalogThatBreaksARule_failsWithTheRuleAndItsPath(String why, String text, String expected) throws IOException {
        Path file = write("catalog.json", text);

        assertThatThrownBy(() -> CatalogLoader.load(file.toString()))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("catalog " + file + " is invalid")
                .hasMessageContaining(expected);
    }

    @Test
    void load_reportsEveryBrokenRuleAtOnce() throws IOException {
        String text = TestCatalogs.defaultText()
                .replace("\"ai_chat\": {\"bucket\": \"credits\", \"cost\": 1}", "\"ai_chat\": {\"bucket\": \"credits\", \"cost\": -1}")
                .replace("\"defaultPlan\": \"free\"", "\"defaultPlan\": \"gold\"");
        Path file = write("catalog.json", text);

        assertThatThrownBy(() -> CatalogLoader.load(file.toString()))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("operations.ai_chat.cost")
                .hasMessageContaining("defaultPlan: 'gold'");
    }

    @Test
    void load_ofACatalogWithoutOperations_fails() throws IOException {
        Path file = write("catalog.json", """
                {"buckets": ["credits"], "signupGrant": {"bucket": "credits", "amount": 1}, "operations": {},
                 "packages": {}, "plans": {"free": {"name": "Free", "allowance": {}}}}
                """);

        assertThatThrownBy(() -> CatalogLoader.load(file.toString()))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("operations: at least one operation is required");
    }

    static Stream<Arguments> unreadableJson() {
        String text = TestCatalogs.defaultText();
        return Stream.of(
                Arguments.of("duplicate top-level key",
                        TestCatalogs.defaultTextWith("\"defaultPlan\": \"free\",", "\"defaultPlan\": \"free\", \"defaultPlan\": \"solo\","),
                        "Duplicate field 'defaultPlan'"),
                Arguments.of("duplicate key inside an operation",
                        TestCatalogs.defaultTextWith("\"ai_chat\": {\"bucket\": \"credits\", \"cost\": 1}",
                                "\"ai_chat\": {\"bucket\": \"credits\", \"cost\": 1, \"cost\": 0}"),
                        "Duplicate field 'cost'"),
                Arguments.of("duplicate operation",
                        TestCatalogs.defaultTextWith("\"dol\": {\"bucket\": \"dol\", \"cost\": 1},",
                                "\"dol\": {\"bucket\": \"dol\", \"cost\": 1}, \"dol\": {\"bucket\": \"dol\", \"cost\": 2},"),
                        "Duplicate field 'dol'"),
                Arguments.of("truncated file", text.substring(0, text.lastIndexOf('}')), "not a valid JSON object"),
                Arguments.of("trailing comma", TestCatalogs.defaultTextWith("\"weather\": {\"bucket\": \"weather\", \"cost\": 1}",
                        "\"weather\": {\"bucket\": \"weather\", \"cost\": 1},"), "not a valid JSON object"),
                Arguments.of("two catalogs concatenated", text + text, "unexpected content after the JSON object"),
                Arguments.of("not JSON at all", "buckets: [credits]", "not a valid JSON object"),
                Arguments.of("empty file", "", "not a valid JSON object"),
                Arguments.of("a JSON array", "[" + text + "]", "expected a JSON object"),
                Arguments.of("a JSON string", "\"catalog\"", "expected a JSON object"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadableJson")
    void load_ofAFileThatIsNotOneJsonObject_failsAsNotValidJson(String why, String text, String expected) throws IOException {
        Path file = write("catalog.json", text);

        assertThatThrownBy(() -> CatalogLoader.load(file.toString()))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("catalog " + file + ": not a valid JSON object")
                .hasMessageContaining(expected);
    }

    @Test
    void load_ofAPathThatDoesNotExist_failsNamingThePath() {
        Path missing = dir.resolve("nowhere").resolve("catalog.json");

        assertThatThrownBy(() -> CatalogLoader.load(missing.toString()))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining("catalog " + missing + ": cannot read")
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void load_ofADirectory_fails() {
        assertThatThrownBy(() -> CatalogLoader.load(dir.toString()))
                .isInstanceOf(CatalogException.class)
                .hasMessageContaining(dir.toString());
    }
}
