package com.tokenwallet.domain.billing;

import com.tokenwallet.domain.AccountNotFoundException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.port.PaymentRecords;
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
    /** The outcome of a paid session whose package is in no offer and not in the catalog: recorded as owed. */
    public static final String OWED = "owed";
    private static final int MAX_OWED_ATTEMPTS = 5;

    private final WalletStore store;
    private final PaymentRecords payments;
    private final WalletService wallet;
    private final BillingRules rules;
    private final TransactionIds ids;
    private final Clock clock;

    public BillingService(WalletStore store, PaymentRecords payments, WalletService wallet, Catalog catalog, StripePrices prices,
                          Clock clock) {
        this.store = store;
        this.payments = payments;
        this.wallet = wallet;
        this.clock = clock;
        // The wallet's own id source: an event's entries and the write loop's at-now entries (a period's roll-over,
        // lot expiries) go into one write, whose entries must be in transaction id order.
        this.ids = wallet.transactionIds();
        this.rules = new BillingRules(catalog, prices, ids);
    }

    /** With the store's own payment records when it keeps them (every engine does), else without offers. */
    public BillingService(WalletStore store, WalletService wallet, Catalog catalog, StripePrices prices, Clock clock) {
        this(store, store instanceof PaymentRecords p ? p : NoPaymentRecords.INSTANCE, wallet, catalog, prices, clock);
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
     * credited, recorded as owed), or {@code owed} (a paid session whose package is in no offer and not in the
     * catalog: recorded as owed for an operator to settle). Throws {@link BillingRetryLater} when it cannot be applied yet.
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
        Optional<Offer> offer = event instanceof PackagePaid p ? offerOf(p, id.get()) : Optional.empty();
        try {
            WalletService.EventResult result = wallet.applyEvent(id.get(), event.eventId(), event.type(), paymentId,
                    (account, purchase, now) -> rules.apply(event, account, purchase, offer, now));
            return new Outcome(result.name().toLowerCase(java.util.Locale.ROOT), null, id);
        } catch (AccountNotFoundException e) {
            return new Outcome("ignored", "account " + id.get().value() + " does not exist", id);
        } catch (PaymentMismatch e) {
            return recordOwed(id.get(), (PackagePaid) event, offer, OwedPayment.PAYMENT_MISMATCH, e.getMessage(), PAYMENT_MISMATCH);
        } catch (PaymentOwed e) {
            return recordOwed(id.get(), (PackagePaid) event, offer, e.kind(), e.getMessage(), OWED);
        }
    }

    /**
     * The offer the session names, if it is stored for this account and sells the package the session names;
     * otherwise (none named, expired, another account's, forged metadata) the catalog decides, as for sessions
     * created before offers were stored.
     */
    private Optional<Offer> offerOf(PackagePaid e, AccountId account) {
        return e.offerId().flatMap(offerId -> payments.findOffer(account, offerId))
                .filter(o -> o.account().equals(account) && o.packageId().equals(e.packageId()));
    }

    /**
     * A payment the wallet cannot credit by itself: an owed-payment record written in the same conditional write
     * as the event's record (the account itself is unchanged), so it is recorded once however often Stripe
     * delivers the event; answered 200 with {@code outcome} (Stripe retrying would change nothing).
     */
    private Outcome recordOwed(AccountId id, PackagePaid e, Optional<Offer> offer, String kind, String reason, String outcome) {
        for (int attempt = 0; attempt < MAX_OWED_ATTEMPTS; attempt++) {
            WalletStore.EventSnapshot read = store.readForEvent(id, e.eventId(), Optional.of(e.paymentId()));
            if (read.eventApplied()) {
                return new Outcome("duplicate", null, Optional.of(id));
            }
            if (read.account().isEmpty()) {
                return new Outcome("ignored", "account " + id.value() + " does not exist", Optional.of(id));
            }
            if (read.purchase().isPresent()) {
                return new Outcome("no_change", "payment " + e.paymentId() + " is credited already", Optional.of(id));
            }
            if (payments.findOwedPayment(id, e.paymentId()).isPresent()) {
                return new Outcome(outcome, "payment " + e.paymentId() + " is recorded as owed already; " + reason, Optional.of(id));
            }
            java.time.Instant now = clock.instant();
            Optional<PurchaseRecord.AmountPaid> paid = e.payment().total().isPresent() && e.payment().currency().isPresent()
                    ? Optional.of(new PurchaseRecord.AmountPaid(e.payment().total().getAsLong(),
                            e.payment().currency().get().toLowerCase(java.util.Locale.ROOT)))
                    : Optional.empty();
            OwedPayment owed = new OwedPayment(e.paymentId(), id, e.eventId(), e.checkoutSessionId(), Optional.of(e.packageId()),
                    offer.map(Offer::offerId).or(e::offerId), paid, kind, reason, now, OwedPayment.OWED, Optional.empty(), 1);
            Account stored = read.account().get();
            WalletStore.WriteResult result = store.write(new WalletStore.AccountWrite(stored, stored, java.util.List.of(), Optional.empty(),
                    java.util.List.of(new WalletStore.SideWrite.EventApplied(e.eventId(), e.type(), now),
                            new WalletStore.SideWrite.Owed(Optional.empty(), owed))));
            switch (result) {
                case WalletStore.WriteResult.Applied a -> {
                    return new Outcome(outcome, reason, Optional.of(id));
                }
                case WalletStore.WriteResult.EventAlreadyApplied a -> {
                    return new Outcome("duplicate", null, Optional.of(id));
                }
                case WalletStore.WriteResult.Stale s -> {
                    // read again
                }
                case WalletStore.WriteResult.PurchaseStale s -> {
                    // another event recorded it first: read again
                }
                default -> throw new IllegalStateException("unexpected " + result);
            }
        }
        throw new com.tokenwallet.domain.StoreUnavailableException("Account " + id + " kept changing; the owed payment "
                + e.paymentId() + " was not recorded and Stripe will deliver the event again.");
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
