package com.tokenwallet.domain.contract;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.Billing;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.PendingHold;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.billing.PurchaseRecord;
import com.tokenwallet.domain.hold.HoldRecord;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.IdempotencyRecord;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.TransactionIds;
import com.tokenwallet.domain.port.WalletStore.AccountWrite;
import com.tokenwallet.domain.port.WalletStore.SideWrite;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Records the contract writes: accounts with a {@code credits} bucket, the entries and records of debits, holds,
 * refunds and purchases, built as the service builds them (so every write is one the domain could make). Instants
 * are whole seconds, as every engine stores them at least that precisely.
 */
public final class Samples {
    static final String BUCKET = "credits";
    static final Duration KEY_RETENTION = Duration.ofDays(7);

    private final Clock clock;
    private final TransactionIds ids;

    Samples(Clock clock) {
        this.clock = clock;
        this.ids = new TransactionIds(clock);
    }

    Instant now() {
        return clock.instant();
    }

    String txId() {
        return ids.next();
    }

    String holdId() {
        return ids.nextHold();
    }

    /** A new account (version 1) with {@code purchased} credits, an e-mail address and the calendar month's period. */
    Account account(String id, long purchased) {
        return new Account(AccountId.of(id), id + "@example.com", "free", Period.calendarMonthOf(now()),
                Map.of(BUCKET, new BucketBalance(0, purchased, 0)), Map.of(), Billing.NONE, now(), 1);
    }

    /** The opening grant of an account made by {@link #account}. */
    LedgerEntry opening(Account account) {
        long purchased = account.bucket(BUCKET).purchased();
        return new LedgerEntry(txId(), account.id(), EntryType.SIGNUP_GRANT, BUCKET, purchased, 0, purchased, null, null,
                "signup", null, now());
    }

    /** Debits {@code tokens} from the account as it is ({@code before}), with its entry and, if given, the key's record. */
    AccountWrite debit(Account before, long tokens, Optional<String> key) {
        Account.Debit debit = before.debit(BUCKET, tokens);
        LedgerEntry entry = new LedgerEntry(txId(), before.id(), EntryType.DEBIT, BUCKET, -tokens, -debit.split().fromAllowance(),
                -debit.split().fromPurchased(), "ai_chat", null, null, "{\"n\":\"" + tokens + "\"}", now());
        return new AccountWrite(before, debit.after(), List.of(entry), key.map(k -> record(k, "debit " + tokens)));
    }

    AccountWrite debit(Account before, long tokens) {
        return debit(before, tokens, Optional.empty());
    }

    /** The record of a used key, its response naming {@code what}. */
    IdempotencyRecord record(String key, String what) {
        return new IdempotencyRecord(new IdempotencyKey(key), "fingerprint of " + what, new StoredResponse(201, "{\"what\":\"" + what + "\"}"),
                now(), now().plus(KEY_RETENTION));
    }

    /** Grants {@code tokens} purchased credits with the given side writes (a purchase, an applied event). */
    AccountWrite grant(Account before, long tokens, List<SideWrite> sides) {
        Account after = before.withBucket(BUCKET, before.bucket(BUCKET).plusPurchased(tokens));
        LedgerEntry entry = new LedgerEntry(txId(), before.id(), EntryType.PURCHASE, BUCKET, tokens, 0, tokens, null, null,
                "purchase", null, now());
        return new AccountWrite(before, after, List.of(entry), Optional.empty(), sides);
    }

    /** Places a pending hold of {@code amount} expiring at {@code expiresAt}: the account's hold, its entry and its record. */
    AccountWrite hold(Account before, String holdId, long amount, Instant expiresAt) {
        Account after = before.hold(new PendingHold(holdId, BUCKET, amount, expiresAt));
        LedgerEntry entry = new LedgerEntry(txId(), before.id(), EntryType.HOLD, BUCKET, 0, 0, 0, "video", holdId, null, null, now(), amount);
        HoldRecord record = HoldRecord.pending(holdId, before.id(), BUCKET, amount, "video", now(), expiresAt);
        return new AccountWrite(before, after, List.of(entry), Optional.empty(), List.of(new SideWrite.NewHold(record)));
    }

    /** Releases a pending hold: the account without it, its entry, and its record marked released. */
    AccountWrite release(Account before, String holdId) {
        long amount = before.holds().get(holdId).amount();
        Account after = before.release(holdId);
        LedgerEntry entry = new LedgerEntry(txId(), before.id(), EntryType.RELEASE, BUCKET, 0, 0, 0, null, holdId, null, null, now(), -amount);
        return new AccountWrite(before, after, List.of(entry), Optional.empty(),
                List.of(new SideWrite.ResolveHold(holdId, com.tokenwallet.domain.hold.HoldStatus.RELEASED, 0, entry.transactionId(), now())));
    }

    /** A purchase record of {@code credits} credits for a payment, at {@code version}, with what was paid for it. */
    static PurchaseRecord purchase(String paymentId, long credits, long clawedBack, long version) {
        return new PurchaseRecord(paymentId, "pro", Map.of(BUCKET, credits), clawedBack == 0 ? Map.of() : Map.of(BUCKET, clawedBack),
                false, version, java.util.Optional.of(new PurchaseRecord.AmountPaid(1_900, "usd")));
    }

    static Map<String, BucketBalance> buckets(long allowance, long purchased) {
        Map<String, BucketBalance> buckets = new LinkedHashMap<>();
        buckets.put(BUCKET, new BucketBalance(allowance, purchased, 0));
        return buckets;
    }
}
