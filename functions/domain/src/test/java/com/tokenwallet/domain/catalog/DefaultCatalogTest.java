package com.tokenwallet.domain.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.testing.TestCatalogs;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shipped catalog says exactly what SPEC section 2 says. */
class DefaultCatalogTest {

    private final Catalog catalog = CatalogLoader.loadDefault();

    @Test
    void defaultCatalog_hasTheFourBuckets() {
        assertThat(catalog.buckets()).containsExactly("credits", "mockup", "dol", "weather");
    }

    @Test
    void defaultCatalog_hasExactlyTheOperationsOfTheSpec() {
        assertThat(catalog.operations()).containsOnlyKeys("ai_chat", "text_interview", "voice_interview",
                "group_practice_create", "group_practice_join", "video_generation", "mockup", "dol", "weather");
    }

    @ParameterizedTest(name = "{0} costs {2} from {1}")
    @CsvSource({
            "ai_chat,               credits, 1",
            "text_interview,        credits, 5",
            "voice_interview,       credits, 10",
            "group_practice_create, credits, 3",
            "group_practice_join,   credits, 3",
            "mockup,                mockup,  1",
            "dol,                   dol,     1",
            "weather,               weather, 1",
    })
    void fixedPriceOperation_hasTheSpecBucketAndCost(String operation, String bucket, long cost) {
        OperationSpec spec = catalog.operations().get(operation);

        assertThat(spec.name()).isEqualTo(operation);
        assertThat(spec.bucket()).isEqualTo(bucket);
        assertThat(spec.pricing()).isEqualTo(new Pricing.Fixed(cost));
    }

    @Test
    void videoGeneration_isPricedPerMinute_withTheSpecRatesAndAddOns() {
        OperationSpec spec = catalog.operations().get("video_generation");

        assertThat(spec.bucket()).isEqualTo("credits");
        assertThat(spec.pricing()).isEqualTo(new Pricing.PerMinute("durationMinutes", 1, 120, "resolution",
                Map.of("720p", 5L, "1080p", 8L),
                Map.of("customMusic", 2L, "premiumTTS", 3L, "aiEnhancement", 4L)));
    }

    @Test
    void signupGrant_isTenCredits() {
        assertThat(catalog.signupGrantBucket()).isEqualTo("credits");
        assertThat(catalog.signupGrantTokens()).isEqualTo(10);
    }

    @Test
    void defaultPlan_isFree() {
        assertThat(catalog.defaultPlan()).isEqualTo("free");
        assertThat(catalog.planOrDefault("no_such_plan").id()).isEqualTo("free");
    }

    @ParameterizedTest(name = "package {0}: {2}+{3} credits for {4} cents")
    @CsvSource({
            "starter,    Starter,    50,   0,   999",
            "pro,        Pro,        150,  10,  2499",
            "business,   Business,   500,  50,  7999",
            "enterprise, Enterprise, 2000, 200, 29999",
    })
    void creditPackage_matchesTheSpec(String id, String name, long credits, long bonus, long priceCents) {
        CreditPackage p = catalog.packages().get(id);

        assertThat(p.id()).isEqualTo(id);
        assertThat(p.name()).isEqualTo(name);
        assertThat(p.tokens()).isEqualTo(Map.of("credits", credits));
        assertThat(p.bonusTokens()).isEqualTo(Map.of("credits", bonus));
        assertThat(p.priceCents()).isEqualTo(priceCents);
        assertThat(p.currency()).isEqualTo("usd");
    }

    @Test
    void tokenPack100_splitsAHundredTokens_34_33_33_overMockupDolWeather_withoutBonus() {
        CreditPackage p = catalog.packages().get("token_pack_100");

        assertThat(p.tokens()).isEqualTo(Map.of("mockup", 34L, "dol", 33L, "weather", 33L));
        assertThat(p.tokens().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(100);
        assertThat(p.bonusTokens().values().stream().mapToLong(Long::longValue).sum()).isZero();
        assertThat(p.priceCents()).isEqualTo(999);
        assertThat(p.currency()).isEqualTo("usd");
    }

    @Test
    void defaultCatalog_hasExactlyTheFivePackages() {
        assertThat(catalog.packages()).containsOnlyKeys("starter", "pro", "business", "enterprise", "token_pack_100");
    }

    @ParameterizedTest(name = "plan {0}: mockup {1}, dol {2}, weather {3}, credits {4}")
    @CsvSource({
            "free,       0,  0,  0,  0",
            "solo,       3,  3,  2,  0",
            "business,   10, 10, 7,  0",
            "enterprise, 25, 25, 15, 0",
    })
    void plan_grantsTheSpecAllowance(String id, long mockup, long dol, long weather, long credits) {
        Plan plan = catalog.plan(id).orElseThrow();

        assertThat(plan.id()).isEqualTo(id);
        assertThat(plan.allowanceFor("mockup")).isEqualTo(mockup);
        assertThat(plan.allowanceFor("dol")).isEqualTo(dol);
        assertThat(plan.allowanceFor("weather")).isEqualTo(weather);
        assertThat(plan.allowanceFor("credits")).isEqualTo(credits);
    }

    @Test
    void defaultCatalog_hasExactlyTheFourPlans_andNoOther() {
        assertThat(catalog.plans()).containsOnlyKeys("free", "solo", "business", "enterprise");
        assertThat(catalog.plan("gold")).isEmpty();
    }

    @Test
    void load_withNullOrBlankPath_isTheDefaultCatalog() {
        assertThat(CatalogLoader.load(null)).isEqualTo(catalog);
        assertThat(CatalogLoader.load("  ")).isEqualTo(catalog);
    }

    @Test
    void catalogCollections_areUnmodifiable() {
        assertThatThrownBy(() -> catalog.operations().remove("ai_chat"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> catalog.buckets().add("gems"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(TestCatalogs.defaultCatalog().operations()).containsKey("ai_chat");
    }
}
