package com.tokenwallet.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.tokenwallet.domain.ConflictException;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Consumed;
import com.tokenwallet.domain.account.Lot;
import com.tokenwallet.domain.account.LotSource;
import com.tokenwallet.domain.account.LotView;
import com.tokenwallet.domain.admin.AdminCommands;
import com.tokenwallet.domain.command.ChargeRequest;
import com.tokenwallet.domain.command.CreateAccountCommand;
import com.tokenwallet.domain.command.DebitCommand;
import com.tokenwallet.domain.command.HoldCommands;
import com.tokenwallet.domain.command.Metadata;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.service.Results.CaptureReceipt;
import com.tokenwallet.domain.service.Results.DebitReceipt;
import com.tokenwallet.domain.testing.InMemoryWalletStore;
import com.tokenwallet.domain.testing.MutableClock;
import com.tokenwallet.domain.testing.TestCatalogs;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Credit lots (issue 15) in the wallet's use cases: burn-down order, receipts that name the lots consumed, expiry
 * with an {@code expiry} entry, the limit on stored lots, and accounts without stored lots reading as before.
 * After every test the ledger sums to the balance, part by part, and held is the pending holds.
 */
class LotsTest {

    private static final Instant NOW = Instant.parse("2026-11-15T10:00:00Z");
    private static final AccountId ALICE = AccountId.of("alice");

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryWalletStore store = new InMemoryWalletStore(clock);
    /** New accounts on solo: mockup 3 allowance, credits 10 purchased (the signup grant). */
    private final WalletService wallet = new WalletService(store, TestCatalogs.soloByDefault(), clock);
    private final List<DebitReceipt> debits = new ArrayList<>();
    private final List<CaptureReceipt> captures = new ArrayList<>();
    private int keys;

    @AfterEach
    void invariantsHold() {
        assertThat(store.ledgerDisagreements(ALICE)).as("ledger sums to the balance").isEmpty();
        assertThat(store.heldDisagreements(ALICE)).as("held is the pending holds").isEmpty();
        store.account(ALICE).buckets().values().forEach(b -> b.lots().forEach(l -> assertThat(l.remaining()).isPositive()));
    }

    private Idempotency key() {
        String key = "k" + (++keys);
        return new Idempotency(new IdempotencyKey(key), key);
    }

    private void open() {
        wallet.open(new CreateAccountCommand(ALICE, Optional.empty()));
    }

    private String grant(String bucket, long amount, Instant expiresAt, Integer priority, String costBasis) {
        var terms = new AdminCommands.LotTerms(Optional.ofNullable(expiresAt), Optional.ofNullable(priority),
                Optional.ofNullable(costBasis).map(BigDecimal::new));
        wallet.grant(new AdminCommands.Grant(ALICE, bucket, amount, "promo", "admin-1", Optional.of(key()), terms),
                r -> new StoredResponse(201, "{\"reference\":\"" + r.entry().reference() + "\"}"));
        return store.entries(ALICE, EntryType.GRANT).getLast().reference();
    }

    private DebitReceipt debit(String bucket, long amount) {
        wallet.debit(new DebitCommand(ALICE, new ChargeRequest.ByAmount(bucket, amount, "test"), Metadata.NONE, key()), r -> {
            debits.add(r);
            return new StoredResponse(201, "{}");
        });
        return debits.getLast();
    }

    private String hold(String bucket, long amount, long ttlSeconds) {
        wallet.hold(new HoldCommands.Hold(ALICE, new ChargeRequest.ByAmount(bucket, amount, "hold"), ttlSeconds, Metadata.NONE, key()),
                r -> new StoredResponse(201, "{}"));
        return store.account(ALICE).holds().keySet().iterator().next();
    }

    private CaptureReceipt capture(String holdId, long amount) {
        wallet.capture(new HoldCommands.Capture(ALICE, holdId, OptionalLong.of(amount), key()), r -> {
            captures.add(r);
            return new StoredResponse(200, "{}");
        });
        return captures.getLast();
    }

    private BucketBalance bucket(String name) {
        return store.account(ALICE).bucket(name);
    }

    @Test
    void anAccountWithoutStoredLots_readsAsItsAllowanceLot_thenItsPurchasedLot() {
        open();
        store.grantAsOtherWriter(ALICE, "mockup", 4);

        List<LotView> lots = wallet.lots(ALICE).stream().filter(l -> l.bucket().equals("mockup")).toList();

        assertThat(lots).extracting(LotView::lotId, LotView::source, LotView::remaining, LotView::priority, LotView::expiresAt)
                .containsExactly(tuple("allowance:mockup:2026-11", LotSource.PLAN_ALLOWANCE, 3L, 50, Instant.parse("2026-12-01T00:00:00Z")),
                        tuple("purchased:mockup", LotSource.PURCHASE, 4L, 50, null));
    }

    @Test
    void aDebit_keepsTodaysOrder_allowanceBeforePurchased_andItsReceiptNamesBoth() {
        open();
        store.grantAsOtherWriter(ALICE, "mockup", 4);

        DebitReceipt receipt = debit("mockup", 5);

        assertThat(receipt.consumed()).extracting(Consumed::lotId, Consumed::amount)
                .containsExactly(tuple("allowance:mockup:2026-11", 3L), tuple("purchased:mockup", 2L));
        assertThat(receipt.entry().allowanceDelta()).isEqualTo(-3);
        assertThat(receipt.entry().purchasedDelta()).isEqualTo(-2);
    }

    @Test
    void aLotOfLowerPriority_burnsFirst_thenSoonestExpiry_thenNoExpiryLast() {
        open();
        String late = grant("mockup", 2, NOW.plus(Duration.ofDays(60)), null, null);
        String urgent = grant("mockup", 2, null, 10, "0.5");
        String soon = grant("mockup", 2, NOW.plus(Duration.ofDays(3)), null, null);

        DebitReceipt receipt = debit("mockup", 8);

        // priority 10 first; then at 50: soon (3 days), the allowance (period end, 16 days), late (60 days).
        assertThat(receipt.consumed()).extracting(Consumed::lotId, Consumed::amount, Consumed::costBasis).containsExactly(
                tuple(urgent, 2L, new BigDecimal("0.5")), tuple(soon, 2L, null), tuple("allowance:mockup:2026-11", 3L, null),
                tuple(late, 1L, null));
        assertThat(bucket("mockup").lots()).extracting(Lot::lotId, Lot::remaining).containsExactly(tuple(late, 1L));
        assertThat(receipt.entry().allowanceDelta()).isEqualTo(-3);
        assertThat(receipt.entry().purchasedDelta()).isEqualTo(-5);
        assertThat(wallet.lots(ALICE).stream().filter(l -> l.bucket().equals("mockup")).map(LotView::lotId)).containsExactly(late);
    }

    @Test
    void aGrantWithLotTerms_storesALot_referencedByItsEntry_andItsTokensCountAsPurchased() {
        open();
        Instant expiresAt = NOW.plus(Duration.ofDays(10));

        String lotId = grant("credits", 25, expiresAt, 20, "0.002499");

        assertThat(lotId).startsWith("lot_tx_");
        Lot lot = bucket("credits").lots().getFirst();
        assertThat(lot).isEqualTo(new Lot(lotId, "credits", LotSource.GRANT, 25, 25, 20, expiresAt, new BigDecimal("0.002499"), "promo", NOW));
        assertThat(bucket("credits").purchased()).isEqualTo(35);
        assertThat(bucket("credits").unlottedPurchased()).isEqualTo(10);
    }

    @Test
    void aGrantWithoutLotTerms_addsUnlottedPurchasedTokens_asBefore() {
        open();
        wallet.grant(new AdminCommands.Grant(ALICE, "credits", 5, "goodwill", "admin-1", Optional.empty()), r -> new StoredResponse(201, "{}"));

        assertThat(bucket("credits").lots()).isEmpty();
        assertThat(bucket("credits").purchased()).isEqualTo(15);
    }

    @Test
    void anExpiredLot_isGoneFromReads_andTheNextWriteRecordsOneExpiryEntry() {
        open();
        String lotId = grant("credits", 6, NOW.plus(Duration.ofHours(1)), null, null);
        debit("credits", 2);
        clock.advance(Duration.ofHours(2));

        assertThat(wallet.balance(ALICE).bucket("credits").total()).as("a read already treats the lot as gone").isEqualTo(10);
        assertThat(wallet.lots(ALICE)).extracting(LotView::lotId).doesNotContain(lotId);
        assertThat(store.entries(ALICE, EntryType.EXPIRY)).as("a read writes nothing").isEmpty();

        DebitReceipt next = debit("credits", 1);

        List<LedgerEntry> expiries = store.entries(ALICE, EntryType.EXPIRY);
        assertThat(expiries).singleElement().satisfies(e -> {
            assertThat(e.reference()).isEqualTo(lotId);
            assertThat(e.amount()).isEqualTo(-4);
            assertThat(e.purchasedDelta()).isEqualTo(-4);
            assertThat(e.description()).contains("expired").contains("4 tokens lapsed");
        });
        assertThat(next.consumed()).extracting(Consumed::lotId).containsExactly("purchased:credits");
        assertThat(bucket("credits").lots()).isEmpty();
        assertThat(bucket("credits").purchased()).isEqualTo(9);

        debit("credits", 1);
        assertThat(store.entries(ALICE, EntryType.EXPIRY)).as("an expiry is written once").hasSize(1);
    }

    @Test
    void theMinutesSweep_writesTheExpiryOfALotNobodyTouches() {
        open();
        String lotId = grant("credits", 6, NOW.plus(Duration.ofHours(1)), null, null);
        clock.advance(Duration.ofHours(2));

        int expired = wallet.sweepExpiredHolds(clock.instant().plusSeconds(60), 10);

        assertThat(expired).isEqualTo(1);
        assertThat(store.entries(ALICE, EntryType.EXPIRY)).extracting(LedgerEntry::reference, LedgerEntry::amount)
                .containsExactly(tuple(lotId, -6L));
        assertThat(wallet.sweepExpiredHolds(clock.instant().plusSeconds(60), 10)).as("a second sweep finds nothing").isZero();
    }

    @Test
    void aLotExpiringWhileHeld_keepsWhatTheHoldNeeds_theCaptureBurnsItFirst_andTheRestLapsesAfter() {
        open();
        debit("credits", 10);
        String lotId = grant("credits", 5, NOW.plus(Duration.ofMinutes(30)), null, null);
        String holdId = hold("credits", 4, 3_600);
        clock.advance(Duration.ofMinutes(45));

        // The hold needs 4 of the expired lot's 5 tokens: 1 lapses now, 4 stay for the hold.
        CaptureReceipt receipt = capture(holdId, 3);

        assertThat(store.entries(ALICE, EntryType.EXPIRY)).extracting(LedgerEntry::reference, LedgerEntry::amount)
                .containsExactly(tuple(lotId, -1L));
        assertThat(receipt.consumed()).extracting(Consumed::lotId, Consumed::amount).containsExactly(tuple(lotId, 3L));
        // The capture released the hold's last token, which belongs to the expired lot: the next write lapses it.
        debit("mockup", 1);
        assertThat(store.entries(ALICE, EntryType.EXPIRY)).extracting(LedgerEntry::reference, LedgerEntry::amount)
                .containsExactly(tuple(lotId, -1L), tuple(lotId, -1L));
        assertThat(bucket("credits").total()).isZero();
        assertThat(bucket("credits").lots()).isEmpty();
    }

    @Test
    void manyLotsExpiringAtOnce_lapseInOneWrite_eachWithItsEntryUpToTheBound_theRestInOneEntryPerBucket() {
        open();
        for (int i = 0; i < AccountAtNow.MAX_LOT_EXPIRY_ENTRIES + 6; i++) {
            grant("credits", 2, NOW.plus(Duration.ofMinutes(5)), null, null);
        }
        clock.advance(Duration.ofMinutes(10));

        debit("credits", 1);

        List<LedgerEntry> expiries = store.entries(ALICE, EntryType.EXPIRY);
        assertThat(expiries).hasSize(AccountAtNow.MAX_LOT_EXPIRY_ENTRIES + 1);
        assertThat(expiries.getLast().reference()).isNull();
        assertThat(expiries.getLast().amount()).isEqualTo(-12);
        assertThat(expiries.getLast().description()).startsWith("6 more lots expired");
        assertThat(bucket("credits").lots()).isEmpty();
        assertThat(bucket("credits").purchased()).isEqualTo(9);
    }

    @Test
    void aGrantThatWouldStoreOneLotTooMany_isRefused_andWritesNothing() {
        open();
        for (int i = 0; i < Limits.MAX_STORED_LOTS; i++) {
            grant("credits", 1, null, 60, null);
        }
        int entries = store.entries(ALICE).size();

        assertThatThrownBy(() -> grant("credits", 1, null, 60, null))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.code()).isEqualTo("too_many_lots"));

        assertThat(store.account(ALICE).storedLotCount()).isEqualTo(Limits.MAX_STORED_LOTS);
        assertThat(store.entries(ALICE)).hasSize(entries);
        assertThat(debit("credits", 110).consumed()).hasSize(1 + Limits.MAX_STORED_LOTS);
    }

    @Test
    void aGrantExpiringInThePast_orWithAPriorityOutOfRange_isRefused() {
        open();

        assertThatThrownBy(() -> grant("credits", 1, NOW, null, null))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("expiresAt"));
        assertThatThrownBy(() -> grant("credits", 1, null, 101, null))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("priority"));
        assertThatThrownBy(() -> grant("credits", 1, null, null, "0.0000001"))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("costBasis"));
        assertThat(bucket("credits").lots()).isEmpty();
    }

    @Test
    void aClawbackOfPurchasedTokens_takesUnlottedTokensFirst_thenLotsInBurnDownOrder() {
        open();
        BucketBalance bucket = new BucketBalance(0, 10, 0, List.of(
                new Lot("lot_a", "credits", LotSource.GRANT, 4, 4, 50, null, null, null, NOW),
                new Lot("lot_b", "credits", LotSource.GRANT, 3, 3, 10, null, null, null, NOW)));

        BucketBalance after = bucket.minus(new com.tokenwallet.domain.account.Split(0, 5));

        assertThat(after.purchased()).isEqualTo(5);
        assertThat(after.lots()).extracting(Lot::lotId, Lot::remaining).containsExactly(tuple("lot_a", 4L), tuple("lot_b", 1L));
    }
}
