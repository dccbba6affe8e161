package com.tokenwallet.domain.billing;

import com.tokenwallet.domain.AccountNotFoundException;
import com.tokenwallet.domain.ConflictException;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.ResourceNotFoundException;
import com.tokenwallet.domain.StoreUnavailableException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.Lot;
import com.tokenwallet.domain.account.LotSource;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.TransactionIds;
import com.tokenwallet.domain.port.PaymentRecords;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.service.AccountAtNow;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The operator's side of owed payments: list an account's, and settle one, once: {@code credit} (tokens to a
 * bucket's purchased part, a {@code purchase} ledger entry referencing the payment, and a purchase record so a later
 * refund or dispute of the payment claws them back) or {@code refunded} (the operator refunded it in Stripe;
 * nothing credited). Settling again the same way answers the settled record; another way is a conflict.
 */
public final class OwedPayments {
    public static final int MAX_LISTED = 100;
    private static final int MAX_ATTEMPTS = 5;

    private final WalletStore store;
    private final PaymentRecords records;
    private final Catalog catalog;
    private final Clock clock;
    private final TransactionIds ids;

    public OwedPayments(WalletStore store, PaymentRecords records, Catalog catalog, Clock clock) {
        this.store = store;
        this.records = records;
        this.catalog = catalog;
        this.clock = clock;
        this.ids = new TransactionIds(clock);
    }

    /** What an operator ({@code admin}: the token's sub) decided: {@code credit} {@code tokens} to {@code bucket}, or {@code refunded}; and why. */
    public record Settle(String outcome, Optional<String> bucket, long tokens, String reason, String admin) {
        public Settle(String outcome, Optional<String> bucket, long tokens, String reason) {
            this(outcome, bucket, tokens, reason, "");
        }

        public static final String CREDIT = "credit";
        public static final String REFUNDED = "refunded";
    }

    /** The settled record, and whether it was settled by this call (false: it had been, the same way). */
    public record Settled(OwedPayment payment, boolean replayed) {
    }

    public List<OwedPayment> list(AccountId id) {
        if (store.findAccount(id).isEmpty()) {
            throw new AccountNotFoundException(id);
        }
        return records.owedPayments(id, MAX_LISTED);
    }

    public Settled settle(AccountId id, String paymentId, Settle how) {
        validate(how);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Account account = store.findAccount(id).orElseThrow(() -> new AccountNotFoundException(id));
            OwedPayment owed = records.findOwedPayment(id, paymentId).orElseThrow(() -> new ResourceNotFoundException(
                    "owed_payment_not_found", "No owed payment " + paymentId + " on this account."));
            if (!owed.owed()) {
                if (sameSettlement(owed, how)) {
                    return new Settled(owed, true);
                }
                throw new ConflictException("owed_payment_settled", "Owed payment " + paymentId + " was settled already ("
                        + owed.status() + "); it cannot be settled another way.");
            }
            Instant now = clock.instant();
            // Written to the account as every rule sees it: period current, expired holds released (their entries in this write).
            AccountAtNow.Prepared prepared = AccountAtNow.of(account, now, catalog, ids);
            List<LedgerEntry> entries = new ArrayList<>(prepared.entries());
            List<WalletStore.SideWrite> sides = new ArrayList<>(prepared.sides());
            Account after = prepared.account();
            OwedPayment settled;
            if (Settle.CREDIT.equals(how.outcome())) {
                String bucket = how.bucket().orElseThrow();
                String transactionId = ids.next();
                Map<String, Object> metadata = new TreeMap<>(Map.of("owedPayment", paymentId, "kind", owed.kind(), "admin", how.admin()));
                owed.packageId().ifPresent(p -> metadata.put("packageId", p));
                // A purchase lot of the payment, as BillingRules credits one (unlotted when the account stores all the lots it may).
                if (after.storedLotCount() < Limits.MAX_STORED_LOTS) {
                    Lot lot = new Lot(com.tokenwallet.domain.account.LotView.purchaseId(bucket, paymentId), bucket, LotSource.PURCHASE, how.tokens(), how.tokens(), Lot.DEFAULT_PRIORITY,
                            null, owed.paid().map(p -> BillingRules.costBasis(p.amount(), how.tokens())).orElse(null), paymentId, now);
                    after = after.withBucket(bucket, after.bucket(bucket).plusLot(lot));
                    metadata.put("lotId", lot.lotId());
                } else {
                    after = after.withBucket(bucket, after.bucket(bucket).plusPurchased(how.tokens()));
                }
                entries.add(new LedgerEntry(transactionId, id, EntryType.PURCHASE, bucket, how.tokens(), 0, how.tokens(), null, paymentId,
                        "owed payment " + paymentId + " settled: " + how.reason(), StrictJson.write(metadata), now));
                settled = owed.settled(OwedPayment.CREDITED, new OwedPayment.Settlement(now, how.reason(), Map.of(bucket, how.tokens()),
                        Optional.of(transactionId)));
                sides.add(new WalletStore.SideWrite.Purchase(Optional.empty(), new PurchaseRecord(paymentId,
                        owed.packageId().orElse("owed"), Map.of(bucket, how.tokens()), Map.of(), false, 1, owed.paid())));
            } else {
                settled = owed.settled(OwedPayment.REFUNDED, new OwedPayment.Settlement(now, how.reason(), Map.of(), Optional.empty()));
            }
            sides.add(new WalletStore.SideWrite.Owed(Optional.of(owed), settled));
            WalletStore.WriteResult result = store.write(new WalletStore.AccountWrite(account, after, entries, Optional.empty(), sides));
            switch (result) {
                case WalletStore.WriteResult.Applied a -> {
                    return new Settled(settled, false);
                }
                case WalletStore.WriteResult.Stale s -> {
                    // read again
                }
                case WalletStore.WriteResult.PurchaseStale s -> {
                    // settled (or credited) by another write first: read again
                }
                default -> throw new IllegalStateException("unexpected " + result);
            }
        }
        throw new StoreUnavailableException("Account " + id + " kept changing; owed payment " + paymentId + " was not settled.");
    }

    private void validate(Settle how) {
        if (how.reason() == null || how.reason().isBlank() || how.reason().length() > Limits.MAX_REASON_LENGTH) {
            throw new InvalidRequestException("reason", "Give a 'reason' of 1 to " + Limits.MAX_REASON_LENGTH + " characters.");
        }
        switch (how.outcome()) {
            case Settle.CREDIT -> {
                catalog.requireBucket(how.bucket().orElseThrow(() -> new InvalidRequestException("bucket",
                        "Settling with 'credit' needs a 'bucket'.")), "bucket");
                if (how.tokens() < 1 || how.tokens() > Limits.MAX_AMOUNT_TOKENS) {
                    throw new InvalidRequestException("tokens", "'tokens' must be 1 to " + Limits.MAX_AMOUNT_TOKENS + ".");
                }
            }
            case Settle.REFUNDED -> {
                if (how.bucket().isPresent() || how.tokens() != 0) {
                    throw new InvalidRequestException("outcome", "Settling as 'refunded' credits nothing: give no 'bucket' or 'tokens'.");
                }
            }
            default -> throw new InvalidRequestException("outcome", "'outcome' must be 'credit' or 'refunded'.");
        }
    }

    private static boolean sameSettlement(OwedPayment owed, Settle how) {
        if (Settle.REFUNDED.equals(how.outcome())) {
            return OwedPayment.REFUNDED.equals(owed.status());
        }
        return OwedPayment.CREDITED.equals(owed.status()) && owed.settlement().map(s -> s.credited()
                .equals(Map.of(how.bucket().orElseThrow(), how.tokens()))).orElse(false);
    }
}
