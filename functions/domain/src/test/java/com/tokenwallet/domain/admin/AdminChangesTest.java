package com.tokenwallet.domain.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.AccountNotFoundException;
import com.tokenwallet.domain.ConflictException;
import com.tokenwallet.domain.IdempotencyKeyReusedException;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.admin.AdminCommands.Part;
import com.tokenwallet.domain.command.CreateAccountCommand;
import com.tokenwallet.domain.command.DebitCommand;
import com.tokenwallet.domain.command.ChargeRequest;
import com.tokenwallet.domain.command.HoldCommands;
import com.tokenwallet.domain.command.Metadata;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.service.Results.Answer;
import com.tokenwallet.domain.service.WalletService;
import com.tokenwallet.domain.testing.InMemoryWalletStore;
import com.tokenwallet.domain.testing.MutableClock;
import com.tokenwallet.domain.testing.TestCatalogs;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Grants, signed adjustments and plan changes by an admin (SPEC 3.4): ledger entries with the reason and the sub. */
class AdminChangesTest {
    private static final AccountId ADA = AccountId.of("ada");
    private static final String OPS = "ops@example";
    private final MutableClock clock = MutableClock.at("2026-11-10T10:00:00Z");
    private final InMemoryWalletStore store = new InMemoryWalletStore(clock);
    private final WalletService wallet = new WalletService(store, TestCatalogs.defaultCatalog(), clock);
    private static final Function<AdminResults.Receipt, StoredResponse> RECEIPT =
            r -> new StoredResponse(201, r.entry().transactionId() + " " + r.balance());

    @BeforeEach
    void openAda() {
        wallet.open(new CreateAccountCommand(ADA, Optional.empty()));
    }

    @Test
    void aGrantAddsToPurchased_andItsEntryCarriesTheReasonAndTheAdmin() {
        wallet.grant(new AdminCommands.Grant(ADA, "credits", 25, "goodwill after outage", OPS, Optional.empty()), RECEIPT);

        assertThat(store.account(ADA).bucket("credits")).isEqualTo(new BucketBalance(0, 35, 0));
        LedgerEntry grant = store.entries(ADA, EntryType.GRANT).getFirst();
        assertThat(grant.amount()).isEqualTo(25);
        assertThat(grant.purchasedDelta()).isEqualTo(25);
        assertThat(grant.description()).isEqualTo("goodwill after outage");
        assertThat(grant.metadataJson()).isEqualTo("{\"admin\":\"ops@example\"}");
        assertThat(store.ledgerDisagreements(ADA)).isEmpty();
    }

    @Test
    void withoutAKey_eachCallApplies_withAKey_onlyTheFirst() {
        var grant = new AdminCommands.Grant(ADA, "credits", 5, "twice", OPS, Optional.empty());
        wallet.grant(grant, RECEIPT);
        wallet.grant(grant, RECEIPT);
        assertThat(store.account(ADA).bucket("credits").purchased()).isEqualTo(20);

        var keyed = new AdminCommands.Grant(ADA, "credits", 5, "once", OPS, Optional.of(idempotency("k1", "a")));
        Answer first = wallet.grant(keyed, RECEIPT);
        Answer replay = wallet.grant(keyed, RECEIPT);

        assertThat(first.replayed()).isFalse();
        assertThat(replay.replayed()).isTrue();
        assertThat(replay.response()).isEqualTo(first.response());
        assertThat(store.account(ADA).bucket("credits").purchased()).isEqualTo(25);
        var other = new AdminCommands.Grant(ADA, "credits", 6, "other body", OPS, Optional.of(idempotency("k1", "b")));
        assertThatThrownBy(() -> wallet.grant(other, RECEIPT)).isInstanceOf(IdempotencyKeyReusedException.class);
    }

    @Test
    void anAdjustmentKeepsTheBucketsStoredLotsAndItsCreditLimit() {
        java.time.Instant expires = java.time.Instant.parse("2026-12-31T00:00:00Z");
        wallet.grant(new AdminCommands.Grant(ADA, "credits", 20, "promo", OPS, Optional.empty(),
                new AdminCommands.LotTerms(Optional.of(expires), Optional.of(10), Optional.empty())), RECEIPT);
        wallet.setCreditLimit(new AdminCommands.CreditLimit(ADA, "credits", 7, "trial", OPS, Optional.empty()),
                r -> new StoredResponse(200, "{}"));

        wallet.adjust(new AdminCommands.Adjustment(ADA, "credits", 5, null, "goodwill", OPS, Optional.empty()), RECEIPT);

        BucketBalance credits = store.account(ADA).bucket("credits");
        assertThat(credits.lots()).singleElement().satisfies(lot -> {
            assertThat(lot.remaining()).isEqualTo(20);
            assertThat(lot.expiresAt()).isEqualTo(expires);
        });
        assertThat(credits.unlottedPurchased()).isEqualTo(10 + 5);
        assertThat(credits.creditLimit()).isEqualTo(7);
        assertThat(store.ledgerDisagreements(ADA)).isEmpty();
    }

    @Test
    void aNegativeAdjustmentTakesFromTheNamedPart_andNeverBelowZero() {
        wallet.changePlan(ADA, "solo", true);  // mockup allowance 3
        wallet.adjust(new AdminCommands.Adjustment(ADA, "mockup", -2, Part.ALLOWANCE, "plan mistake", OPS, Optional.empty()), RECEIPT);
        assertThat(store.account(ADA).bucket("mockup")).isEqualTo(new BucketBalance(1, 0, 0));
        LedgerEntry adjustment = store.entries(ADA, EntryType.ADJUSTMENT).getFirst();
        assertThat(adjustment.allowanceDelta()).isEqualTo(-2);
        assertThat(adjustment.metadataJson()).contains("\"part\":\"allowance\"");

        var below = new AdminCommands.Adjustment(ADA, "credits", -11, null, "too much", OPS, Optional.empty());
        assertThatThrownBy(() -> wallet.adjust(below, RECEIPT)).isInstanceOf(ConflictException.class)
                .satisfies(e -> assertThat(((ConflictException) e).code()).isEqualTo("adjustment_below_zero"));
        wallet.adjust(new AdminCommands.Adjustment(ADA, "credits", -10, null, "exactly all", OPS, Optional.empty()), RECEIPT);
        assertThat(store.account(ADA).bucket("credits")).isEqualTo(new BucketBalance(0, 0, 0));
        assertThat(store.ledgerDisagreements(ADA)).isEmpty();
    }

    @Test
    void anAdjustmentNeverLeavesLessThanPendingHoldsNeed() {
        wallet.hold(new HoldCommands.Hold(ADA, new ChargeRequest.ByAmount("credits", 8, "render"), 600, Metadata.NONE,
                idempotency("h", "h")), r -> new StoredResponse(201, "held"));
        var tooMuch = new AdminCommands.Adjustment(ADA, "credits", -3, Part.PURCHASED, "claw", OPS, Optional.empty());

        assertThatThrownBy(() -> wallet.adjust(tooMuch, RECEIPT)).isInstanceOf(ConflictException.class)
                .satisfies(e -> assertThat(((ConflictException) e).code()).isEqualTo("adjustment_below_held"));
        wallet.adjust(new AdminCommands.Adjustment(ADA, "credits", -2, Part.PURCHASED, "claw", OPS, Optional.empty()), RECEIPT);
        assertThat(store.account(ADA).bucket("credits")).isEqualTo(new BucketBalance(0, 8, 8));
    }

    @Test
    void aRefusedAdjustmentWithAKey_doesNotUseTheKey() {
        var refused = new AdminCommands.Adjustment(ADA, "credits", -50, null, "x", OPS, Optional.of(idempotency("k", "a")));
        assertThatThrownBy(() -> wallet.adjust(refused, RECEIPT)).isInstanceOf(ConflictException.class);
        wallet.debit(new DebitCommand(ADA, new ChargeRequest.ByAmount("credits", 1, "d"), Metadata.NONE, idempotency("d", "d")),
                r -> new StoredResponse(201, "ok"));

        var same = new AdminCommands.Adjustment(ADA, "credits", -5, null, "x", OPS, Optional.of(idempotency("k", "b")));
        assertThat(wallet.adjust(same, RECEIPT).replayed()).isFalse();
        assertThat(store.account(ADA).bucket("credits").purchased()).isEqualTo(4);
    }

    @Test
    void aPlanChangeAlwaysWritesAnEntry_evenWhenNoAllowanceMoves() {
        wallet.changePlanAsAdmin(new AdminCommands.PlanChange(ADA, "business", false, Optional.of("sales deal"), OPS, Optional.empty()),
                p -> new StoredResponse(200, p.account().plan()));

        assertThat(store.account(ADA).plan()).isEqualTo("business");
        assertThat(store.account(ADA).bucket("mockup").allowance()).isZero();
        LedgerEntry entry = store.entries(ADA, EntryType.PLAN_RESET).getLast();
        assertThat(entry.amount()).isZero();
        assertThat(entry.description()).isEqualTo("plan free -> business, allowance at the next period: sales deal");
        assertThat(entry.metadataJson()).contains(OPS);

        wallet.changePlanAsAdmin(new AdminCommands.PlanChange(ADA, "business", true, Optional.empty(), OPS, Optional.empty()),
                p -> new StoredResponse(200, p.account().plan()));
        assertThat(store.account(ADA).bucket("mockup").allowance()).isEqualTo(10);
        assertThat(store.entries(ADA, EntryType.PLAN_RESET)).filteredOn(e -> e.amount() != 0)
                .extracting(LedgerEntry::bucket).containsExactlyInAnyOrder("mockup", "dol", "weather");
        assertThat(store.ledgerDisagreements(ADA)).isEmpty();
    }

    @Test
    void unknownAccountsBucketsAndPlansAreRefused_andNothingIsWritten() {
        var before = store.entries(ADA);
        assertThatThrownBy(() -> wallet.grant(new AdminCommands.Grant(AccountId.of("nobody"), "credits", 1, "x", OPS, Optional.empty()), RECEIPT))
                .isInstanceOf(AccountNotFoundException.class);
        assertThatThrownBy(() -> wallet.grant(new AdminCommands.Grant(ADA, "gold", 1, "x", OPS, Optional.empty()), RECEIPT))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> wallet.changePlanAsAdmin(new AdminCommands.PlanChange(ADA, "platinum", true, Optional.empty(), OPS,
                Optional.empty()), p -> null)).isInstanceOf(InvalidRequestException.class);
        assertThat(store.entries(ADA)).isEqualTo(before);
    }

    @Test
    void commandsRefuseBadInputByField() {
        assertThatThrownBy(() -> new AdminCommands.Grant(ADA, "credits", 0, "x", OPS, Optional.empty()))
                .isInstanceOf(InvalidRequestException.class).hasFieldOrPropertyWithValue("field", "amount");
        assertThatThrownBy(() -> new AdminCommands.Adjustment(ADA, "credits", 0, null, "x", OPS, Optional.empty()))
                .hasFieldOrPropertyWithValue("field", "amount");
        assertThatThrownBy(() -> new AdminCommands.Grant(ADA, "credits", 1, "a\nb", OPS, Optional.empty()))
                .hasFieldOrPropertyWithValue("field", "reason");
        assertThatThrownBy(() -> new AdminCommands.Grant(ADA, "credits", 1, "r".repeat(257), OPS, Optional.empty()))
                .hasFieldOrPropertyWithValue("field", "reason");
        assertThatThrownBy(() -> new AdminCommands.Grant(ADA, "credits", 1, "ok", "s".repeat(257), Optional.empty()))
                .hasFieldOrPropertyWithValue("field", "sub");
        assertThatThrownBy(() -> Part.fromWireName("held")).hasFieldOrPropertyWithValue("field", "part");
    }

    private static Idempotency idempotency(String key, String fingerprint) {
        return new Idempotency(new IdempotencyKey(key), fingerprint);
    }
}
