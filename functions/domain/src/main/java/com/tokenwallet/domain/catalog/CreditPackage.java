package com.tokenwallet.domain.catalog;

import java.util.Map;

/**
 * A one-off purchase. {@code tokens} and {@code bonusTokens} are per bucket; the buyer receives both in
 * the purchased part.
 */
public record CreditPackage(String id, String name, Map<String, Long> tokens, Map<String, Long> bonusTokens,
                            long priceCents, String currency) {
    public CreditPackage {
        tokens = Map.copyOf(tokens);
        bonusTokens = Map.copyOf(bonusTokens);
    }
}
