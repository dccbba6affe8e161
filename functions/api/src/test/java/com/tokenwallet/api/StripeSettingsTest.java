package com.tokenwallet.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.PropertySource;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Stripe settings come from environment variables with exactly these names (outside checks rely on them),
 * read the way Micronaut reads the process environment (its environment-variable naming convention).
 */
class StripeSettingsTest {

    private static StripeSettings fromEnvironment(Map<String, Object> variables) {
        try (ApplicationContext context = WalletContexts.builder()
                .propertySources(PropertySource.of("test-environment", variables, PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE))
                .start()) {
            return StripeSettings.from(context);
        }
    }

    @Test
    void everyVariable_isReadByItsExactName() {
        StripeSettings settings = fromEnvironment(Map.of(
                "STRIPE_SECRET_KEY", "sk_test_123",
                "STRIPE_WEBHOOK_SECRET", "whsec_456",
                "STRIPE_API_BASE", "http://127.0.0.1:12111",
                "STRIPE_PRICE_SOLO", "price_solo",
                "STRIPE_PRICE_BUSINESS", "price_business",
                "STRIPE_PRICE_ENTERPRISE", "price_enterprise",
                "STRIPE_TOKEN_PACK_PRICE_100", "price_pack"));

        assertThat(settings.secretKey()).contains("sk_test_123");
        assertThat(settings.webhookSecret()).contains("whsec_456");
        assertThat(settings.apiBase()).contains("http://127.0.0.1:12111");
        assertThat(settings.prices().planPrices()).isEqualTo(Map.of("solo", "price_solo", "business", "price_business",
                "enterprise", "price_enterprise"));
        assertThat(settings.prices().priceOfPackage("token_pack_100")).contains("price_pack");
        assertThat(settings.prices().planOfPrice("price_business")).contains("business");
        assertThat(settings.toString()).doesNotContain("sk_test_123").doesNotContain("whsec_456");
    }

    @Test
    void unsetOrBlankVariables_areAbsent() {
        StripeSettings settings = fromEnvironment(Map.of("STRIPE_SECRET_KEY", "  ", "STRIPE_PRICE_SOLO", ""));

        assertThat(settings.secretKey()).isEqualTo(Optional.empty());
        assertThat(settings.webhookSecret()).isEmpty();
        assertThat(settings.prices().planPrices()).isEmpty();
        assertThat(settings.prices().packagePrices()).isEmpty();
    }
}
