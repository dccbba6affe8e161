package com.tokenwallet.api;

import com.tokenwallet.domain.billing.StripePrices;
import io.micronaut.context.ApplicationContext;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The Stripe configuration of the checkout and webhook functions, from the same environment variables in Lambda
 * and in the local runner: {@code STRIPE_SECRET_KEY}, {@code STRIPE_WEBHOOK_SECRET}, {@code STRIPE_API_BASE}
 * (optional: a fake Stripe for tests) and the Price ids of {@link StripePrices}. {@link #toString()} never shows
 * a secret.
 */
public record StripeSettings(Optional<String> secretKey, Optional<String> webhookSecret, Optional<String> apiBase,
                             StripePrices prices) {

    /** Reads the variables through the context (Micronaut maps {@code STRIPE_SECRET_KEY} to {@code stripe.secret.key}). */
    public static StripeSettings from(ApplicationContext context) {
        Function<String, String> env = name -> context.getProperty(name.toLowerCase(Locale.ROOT).replace('_', '.'), String.class)
                .filter(v -> !v.isBlank()).map(String::trim).orElse(null);
        return new StripeSettings(Optional.ofNullable(env.apply("STRIPE_SECRET_KEY")),
                Optional.ofNullable(env.apply("STRIPE_WEBHOOK_SECRET")), Optional.ofNullable(env.apply("STRIPE_API_BASE")),
                StripePrices.from(env));
    }

    @Override
    public String toString() {
        return "StripeSettings[secretKey=" + (secretKey.isPresent() ? "set" : "unset") + ", webhookSecret="
                + (webhookSecret.isPresent() ? "set" : "unset") + ", apiBase=" + apiBase.orElse("(Stripe)") + ", prices=" + prices + "]";
    }
}
