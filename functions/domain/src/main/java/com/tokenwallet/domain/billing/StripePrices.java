package com.tokenwallet.domain.billing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which Stripe Price stands for which plan or package, from configuration: {@code STRIPE_PRICE_SOLO},
 * {@code STRIPE_PRICE_BUSINESS}, {@code STRIPE_PRICE_ENTERPRISE} and {@code STRIPE_TOKEN_PACK_PRICE_100}. A
 * subscription or invoice line with one of these prices means that plan or pack; a package without a configured
 * price is sold with inline price data from the catalog.
 */
public record StripePrices(Map<String, String> planPrices, Map<String, String> packagePrices) {
    public static final Map<String, String> PLAN_VARIABLES = Map.of(
            "solo", "STRIPE_PRICE_SOLO", "business", "STRIPE_PRICE_BUSINESS", "enterprise", "STRIPE_PRICE_ENTERPRISE");
    public static final Map<String, String> PACKAGE_VARIABLES = Map.of("token_pack_100", "STRIPE_TOKEN_PACK_PRICE_100");

    public StripePrices {
        planPrices = Map.copyOf(planPrices);
        packagePrices = Map.copyOf(packagePrices);
    }

    /** Reads the variables through {@code env} (for example {@code System::getenv}); unset or blank ones are absent. */
    public static StripePrices from(Function<String, String> env) {
        return new StripePrices(read(PLAN_VARIABLES, env), read(PACKAGE_VARIABLES, env));
    }

    private static Map<String, String> read(Map<String, String> variables, Function<String, String> env) {
        Map<String, String> prices = new LinkedHashMap<>();
        variables.forEach((id, variable) -> {
            String value = env.apply(variable);
            if (value != null && !value.isBlank()) {
                prices.put(id, value.trim());
            }
        });
        return prices;
    }

    public Optional<String> priceOfPlan(String planId) {
        return Optional.ofNullable(planPrices.get(planId));
    }

    public Optional<String> priceOfPackage(String packageId) {
        return Optional.ofNullable(packagePrices.get(packageId));
    }

    /** The plan whose configured price this is. */
    public Optional<String> planOfPrice(String priceId) {
        return planPrices.entrySet().stream().filter(e -> e.getValue().equals(priceId)).map(Map.Entry::getKey).findFirst();
    }

    /** The package whose configured price this is. */
    public Optional<String> packageOfPrice(String priceId) {
        return packagePrices.entrySet().stream().filter(e -> e.getValue().equals(priceId)).map(Map.Entry::getKey).findFirst();
    }
}
