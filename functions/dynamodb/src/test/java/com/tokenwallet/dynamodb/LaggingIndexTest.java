package com.tokenwallet.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.billing.BillingEvent;
import com.tokenwallet.domain.billing.BillingRetryLater;
import com.tokenwallet.domain.billing.BillingService;
import com.tokenwallet.domain.command.ChargeRequest;
import com.tokenwallet.domain.command.CreateAccountCommand;
import com.tokenwallet.domain.command.HoldCommands;
import com.tokenwallet.domain.command.Metadata;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.reset.QuotaReset;
import com.tokenwallet.domain.service.WalletService;
import com.tokenwallet.domain.testing.MutableClock;
import com.tokenwallet.domain.testing.TestCatalogs;
import com.tokenwallet.dynamodb.testing.FakeDynamoDb;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * DynamoDB's global secondary indexes are eventually consistent. The hold sweep (PendingHolds), the monthly reset
 * (CalendarAccounts) and the Stripe events that name only a payment (StripePayments) find accounts through them, so
 * they must neither lose what an index does not list yet nor act twice on what it still lists. Here the fake's indexes lag behind the table ({@link FakeDynamoDb#lag}) under the
 * production adapter and the wallet's own rules.
 */
class LaggingIndexTest {
    private static final AccountId ADA = AccountId.of("ada");
    private final FakeDynamoDb dynamo = new FakeDynamoDb();
    private final String table = dynamo.createWalletTable();
    private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
    private final DynamoDbWalletStore store = new DynamoDbWalletStore(dynamo.client(new DynamoDbCallCounter()), table, clock);
    private final WalletService wallet = new WalletService(store, TestCatalogs.defaultCatalog(), clock);
    private int keys;

    @Test
    void aHoldTheIndexDoesNotListYet_isReleasedByReadsMeanwhile_andSweptOnceWhenItIsListed() {
        wallet.open(new CreateAccountCommand(ADA, Optional.empty()));
        long available = available();
        dynamo.lag(table);
        hold(6);
        assertThat(available()).isEqualTo(available - 6);
        clock.advance(Duration.ofMinutes(5));

        assertThat(sweep()).as("the index does not list the hold yet").isZero();
        assertThat(expiries()).isEmpty();
        assertThat(available()).as("reads treat an expired hold as released, swept or not").isEqualTo(available);

        dynamo.catchUp(table);
        assertThat(sweep()).isEqualTo(1);
        assertThat(expiries()).singleElement().satisfies(e -> assertThat(e.heldDelta()).isEqualTo(-6));
        assertThat(sweep()).as("nothing left").isZero();
        assertThat(available()).isEqualTo(available);
    }

    @Test
    void aHoldTheIndexStillListsAfterItWasReleased_isNotReleasedAgain_andNothingIsWritten() {
        wallet.open(new CreateAccountCommand(ADA, Optional.empty()));
        long available = available();
        String holdId = hold(6);
        dynamo.lag(table);
        wallet.release(new HoldCommands.Release(ADA, holdId, key()), r -> new StoredResponse(200, ""));
        clock.advance(Duration.ofMinutes(5));
        long version = store.findAccount(ADA).orElseThrow().version();
        int entries = ledger().size();

        assertThat(sweep()).as("the index still lists the account; its hold is gone").isZero();
        assertThat(store.findAccount(ADA).orElseThrow().version()).as("no write").isEqualTo(version);
        assertThat(ledger()).hasSize(entries);
        assertThat(expiries()).isEmpty();
        assertThat(available()).isEqualTo(available);
    }

    @Test
    void theMonthlyResetOnALaggingIndex_resetsNoAccountTwice_andMissesNoneForGood() {
        MutableClock november = MutableClock.at("2026-11-15T12:00:00Z");
        WalletService solo = new WalletService(new DynamoDbWalletStore(dynamo.client(new DynamoDbCallCounter()), table, november),
                TestCatalogs.soloByDefault(), november);
        DynamoDbWalletStore scan = new DynamoDbWalletStore(dynamo.client(new DynamoDbCallCounter()), table, november);
        AccountId early = AccountId.of("early");
        AccountId late = AccountId.of("late");
        solo.open(new CreateAccountCommand(early, Optional.empty()));
        dynamo.lag(table);
        solo.open(new CreateAccountCommand(late, Optional.empty()));

        // December: "early" rolls over by its own write before the job reaches it, though the index still lists it.
        november.set(java.time.Instant.parse("2026-12-01T00:00:05Z"));
        assertThat(solo.rollOverIfDue(scan.findAccount(early).orElseThrow())).isTrue();
        long earlyResets = planResets(scan, early);
        assertThat(earlyResets).isPositive();
        dynamo.clearRequests();
        QuotaReset reset = new QuotaReset(scan, solo, november, new QuotaReset.Settings(1, 10, 0));
        QuotaReset.Progress progress = reset.runInProcess(reset.jobFor(november.instant()), 1, 1, 0, Duration.ofSeconds(30));

        assertThat(progress.complete()).isTrue();
        assertThat(progress.seen()).as("the lagging index lists early only").isEqualTo(1);
        // Its page is read eventually consistent: early as of November, so the job's roll-over is computed from a
        // stale version, refused by the write's condition, and early read again, found current.
        assertThat(progress.reset()).as("early is already in December").isZero();
        assertThat(dynamo.requests("TransactWriteItems")).as("the write from the stale read, refused").singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(400));
        assertThat(planResets(scan, early)).as("one roll-over, its own").isEqualTo(earlyResets);
        // "late", which the index does not list yet, is shown in December and rolls over on its next write, once.
        assertThat(solo.balance(late).period().id()).isEqualTo("2026-12");
        assertThat(solo.rollOverIfDue(scan.findAccount(late).orElseThrow())).isTrue();
        assertThat(solo.rollOverIfDue(scan.findAccount(late).orElseThrow())).isFalse();
        assertThat(planResets(scan, late)).isEqualTo(earlyResets);
    }

    @Test
    void aDisputeNamingOnlyItsPayment_whileThePaymentsIndexLags_isRetriedLater_thenClawsBackOnce() {
        wallet.open(new CreateAccountCommand(ADA, Optional.empty()));
        long now = clock.instant().getEpochSecond();
        BillingService billing = new BillingService(store, wallet, TestCatalogs.defaultCatalog(), clock);
        long price = TestCatalogs.defaultCatalog().packages().get("pro").priceCents();
        BillingEvent.Payment paid = new BillingEvent.Payment(Optional.of("usd"), OptionalLong.of(price), OptionalLong.of(price), 0, 0,
                Optional.empty());
        dynamo.lag(table);
        assertThat(billing.apply(new BillingEvent.PackagePaid("evt_p", "checkout.session.completed", now,
                new BillingEvent.AccountRef(Optional.of("ada"), Optional.empty(), Optional.empty()), "cs_1", "pi_1", "pro", paid))
                .outcome()).isEqualTo("applied");
        long purchased = wallet.balance(ADA).bucket("credits").purchased();
        BillingEvent.DisputeOpened dispute = new BillingEvent.DisputeOpened("evt_d", "charge.dispute.created", now,
                new BillingEvent.AccountRef(Optional.empty(), Optional.empty(), Optional.of("pi_1")), "pi_1", "dp_1");

        // Stripe is answered "retry later" (the index does not know the payment yet), and nothing is written.
        assertThatThrownBy(() -> billing.apply(dispute)).isInstanceOf(BillingRetryLater.class);
        assertThat(wallet.balance(ADA).bucket("credits").purchased()).isEqualTo(purchased);

        dynamo.catchUp(table);
        assertThat(billing.apply(dispute).outcome()).isEqualTo("applied");
        assertThat(billing.apply(dispute).outcome()).as("a redelivery").isEqualTo("duplicate");
        assertThat(ledger().stream().filter(e -> e.type() == EntryType.CLAWBACK)).singleElement()
                .satisfies(e -> assertThat(e.reference()).isEqualTo("pi_1"));
        assertThat(wallet.balance(ADA).bucket("credits").purchased()).isLessThan(purchased);
    }

    private String hold(long amount) {
        String[] id = new String[1];
        wallet.hold(new HoldCommands.Hold(ADA, new ChargeRequest.ByAmount("credits", amount, "render"), 60, Metadata.NONE, key()), r -> {
            id[0] = r.hold().holdId();
            return new StoredResponse(201, "");
        });
        return id[0];
    }

    private int sweep() {
        return wallet.sweepExpiredHolds(clock.instant().plusSeconds(30), 10);
    }

    private long available() {
        return wallet.balance(ADA).bucket("credits").available();
    }

    private List<LedgerEntry> ledger() {
        return store.ledger(ADA, 100, Optional.empty()).entries();
    }

    private List<LedgerEntry> expiries() {
        return ledger().stream().filter(e -> e.type() == EntryType.EXPIRY).toList();
    }

    /** How many plan_reset entries the account's ledger holds. */
    private static long planResets(DynamoDbWalletStore store, AccountId id) {
        return store.ledger(id, 100, Optional.empty()).entries().stream().filter(e -> e.type() == EntryType.PLAN_RESET).count();
    }

    private Idempotency key() {
        String k = "k" + (++keys);
        return new Idempotency(new IdempotencyKey(k), k);
    }
}
