package com.tokenwallet.domain.billing;

import com.tokenwallet.domain.AccountNotFoundException;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.billing.BillingEvent.AccountRef;
import com.tokenwallet.domain.billing.BillingEvent.ChargeRefunded;
import com.tokenwallet.domain.billing.BillingEvent.DisputeOpened;
import com.tokenwallet.domain.billing.BillingEvent.PackagePaid;
import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.ledger.TransactionIds;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.service.WalletService;
import java.time.Clock;
import java.util.Optional;

/**
 * Applies Stripe events to accounts, each at most once (SPEC 3.3): finds the event's account, then lets
 * {@link WalletService#applyEvent} run {@link BillingRules} on it in one conditional write with the event's record.
 */
public final class BillingService {
    /** The outcome of a paid session that does not pay for its package. */
    public static final String PAYMENT_MISMATCH = "payment_mismatch";

    private final WalletStore store;
    private final WalletService wallet;
    private final BillingRules rules;
    private final TransactionIds ids;
    private final Clock clock;

    public BillingService(WalletStore store, WalletService wallet, Catalog catalog, StripePrices prices, Clock clock) {
        this.store = store;
        this.wallet = wallet;
        this.clock = clock;
        this.ids = new TransactionIds(clock);
        this.rules = new BillingRules(catalog, prices, ids);
    }

    /** Without configured Stripe prices (no line item is then recognised as a plan's or a package's). */
    public BillingService(WalletStore store, WalletService wallet, Catalog catalog, Clock clock) {
        this(store, wallet, catalog, new StripePrices(java.util.Map.of(), java.util.Map.of()), clock);
    }

    /** Renews the random source of the ids of the entries it writes: once per instance after a SnapStart restore. */
    public void renewIdentifiers() {
        ids.renew();
    }

    /**
     * What became of an event: {@code applied}, {@code duplicate} (applied before), {@code no_change} (older or
     * already reflected), {@code ignored} with why (a type or state the wallet does not act on, an unknown
     * account), or {@code payment_mismatch} with why (a paid session that does not pay for its package: nothing is
     * credited). Throws {@link BillingRetryLater} when it cannot be applied yet.
     */
    public Outcome apply(BillingEvent event) {
        if (event instanceof BillingEvent.Ignored ignored) {
            return new Outcome("ignored", ignored.why(), Optional.empty());
        }
        Optional<AccountId> id = resolve(event);
        if (id.isEmpty()) {
            return new Outcome("ignored", "no account for this event", Optional.empty());
        }
        Optional<String> paymentId = switch (event) {
            case PackagePaid e -> Optional.of(e.paymentId());
            case ChargeRefunded e -> Optional.of(e.paymentId());
            case DisputeOpened e -> Optional.of(e.paymentId());
            default -> Optional.empty();
        };
        try {
            WalletService.EventResult result = wallet.applyEvent(id.get(), event.eventId(), event.type(), paymentId,
                    (account, purchase, now) -> rules.apply(event, account, purchase, now));
            return new Outcome(result.name().toLowerCase(java.util.Locale.ROOT), null, id);
        } catch (AccountNotFoundException e) {
            return new Outcome("ignored", "account " + id.get().value() + " does not exist", id);
        } catch (PaymentMismatch e) {
            return new Outcome(PAYMENT_MISMATCH, e.getMessage(), id);
        }
    }

    private Optional<AccountId> resolve(BillingEvent event) {
        AccountRef ref = event.account();
        if (ref.accountId().isPresent() && AccountId.isValid(ref.accountId().get())) {
            return Optional.of(AccountId.of(ref.accountId().get()));
        }
        Optional<AccountId> found = ref.customerId().flatMap(store::accountByStripeCustomer)
                .or(() -> ref.paymentId().flatMap(store::accountByPayment));
        if (found.isEmpty() && ref.paymentId().isPresent() && BillingRules.mayStillBeWaiting(event.created(), clock.instant())) {
            throw new BillingRetryLater("No account is known for payment " + ref.paymentId().get() + " yet.");
        }
        return found;
    }

    /** The outcome of one event (for the response, the log line and the metrics), its reason, and its account. */
    public record Outcome(String outcome, String reason, Optional<AccountId> account) {
    }
}
