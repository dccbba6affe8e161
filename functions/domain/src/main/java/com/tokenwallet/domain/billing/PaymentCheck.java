package com.tokenwallet.domain.billing;

import com.tokenwallet.domain.billing.BillingEvent.PaidLine;
import com.tokenwallet.domain.billing.BillingEvent.Payment;
import com.tokenwallet.domain.catalog.CreditPackage;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a paid Checkout Session pays for the package its metadata names. The metadata alone proves nothing: any
 * session or payment link of the same Stripe account can carry {@code packageId}, at any price, in any currency.
 *
 * <p>The rule, with no discount honored: the wallet's own sessions offer none (no coupons, no promotion codes), so
 * a session is credited only when
 * <ul>
 *   <li>it was paid in the package's currency;</li>
 *   <li>its subtotal (before discounts and tax) is the catalog price: one package, at the catalog's price;</li>
 *   <li>what was paid net of tax and shipping ({@code amount_total - amount_tax - amount_shipping}) is at least the
 *       catalog price, so a coupon (a 99 % one, say) makes it a mismatch, while tax added on top does not;</li>
 *   <li>when the event carries its line items: exactly one line, of quantity 1, and when the package is sold with a
 *       configured Stripe Price ({@code STRIPE_TOKEN_PACK_PRICE_100}), that price; a line priced with another
 *       configured price (another package's, a plan's) never buys this package.</li>
 * </ul>
 * A session that says nothing about what was paid (no currency, no total) is a mismatch too. A catalog price
 * changed between a session's creation and its payment also shows as a mismatch: an operator settles it by hand.
 */
final class PaymentCheck {
    private PaymentCheck() {
    }

    /** Why {@code payment} does not pay for {@code pkg}, or empty when it does. */
    static Optional<String> mismatch(CreditPackage pkg, Payment payment, StripePrices prices) {
        String price = pkg.priceCents() + " " + pkg.currency();
        if (payment.currency().isEmpty() || payment.total().isEmpty()) {
            return Optional.of("the session says nothing of what was paid (currency or amount_total missing); package "
                    + pkg.id() + " costs " + price);
        }
        String currency = payment.currency().get().toLowerCase(Locale.ROOT);
        if (!currency.equals(pkg.currency().toLowerCase(Locale.ROOT))) {
            return Optional.of("paid in " + currency + ", but package " + pkg.id() + " costs " + price);
        }
        if (payment.subtotal().isPresent() && payment.subtotal().getAsLong() != pkg.priceCents()) {
            return Optional.of("subtotal " + payment.subtotal().getAsLong() + " " + currency + ", but package " + pkg.id()
                    + " costs " + price);
        }
        long net = payment.total().getAsLong() - payment.tax() - payment.shipping();
        if (net < pkg.priceCents()) {
            return Optional.of("paid " + net + " " + currency + " net of tax and shipping, but package " + pkg.id() + " costs "
                    + price + " (no discount is honored)");
        }
        if (payment.lines().isPresent()) {
            var lines = payment.lines().get();
            if (lines.size() != 1 || lines.getFirst().quantity() != 1) {
                return Optional.of("the session sells " + lines.size() + " line(s), not one package " + pkg.id());
            }
            PaidLine line = lines.getFirst();
            Optional<String> configured = prices.priceOfPackage(pkg.id());
            Optional<String> lineOfPlan = line.priceId().flatMap(prices::planOfPrice);
            Optional<String> lineOfPackage = line.priceId().flatMap(prices::packageOfPrice);
            if (configured.isPresent() && !line.priceId().equals(configured)) {
                return Optional.of("the line's price " + line.priceId().orElse("(none)") + " is not package " + pkg.id()
                        + "'s configured price " + configured.get());
            }
            if (lineOfPlan.isPresent() || (lineOfPackage.isPresent() && !lineOfPackage.get().equals(pkg.id()))) {
                return Optional.of("the line's price " + line.priceId().get() + " is the configured price of "
                        + lineOfPlan.map(p -> "plan " + p).orElseGet(() -> "package " + lineOfPackage.get()) + ", not of package " + pkg.id());
            }
        }
        return Optional.empty();
    }
}
