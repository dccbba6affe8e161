package com.tokenwallet.domain.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.tokenwallet.domain.AccountNotFoundException;
import com.tokenwallet.domain.IdempotencyKeyReusedException;
import com.tokenwallet.domain.InsufficientTokensException;
import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.StoreUnavailableException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.command.ChargeRequest;
import com.tokenwallet.domain.command.CreateAccountCommand;
import com.tokenwallet.domain.command.DebitCommand;
import com.tokenwallet.domain.command.Metadata;
import com.tokenwallet.domain.command.QuoteCommand;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.IdempotencyRecord;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.LedgerPage;
import com.tokenwallet.domain.ledger.TransactionIds;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.service.Results.Answer;
import com.tokenwallet.domain.service.Results.DebitReceipt;
import com.tokenwallet.domain.service.Results.Opened;
import com.tokenwallet.domain.service.Results.Quote;
import com.tokenwallet.domain.testing.InMemoryWalletStore;
import com.tokenwallet.domain.testing.MutableClock;
import com.tokenwallet.domain.testing.TestCatalogs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The wallet's use cases against a store that behaves like the real one, with every round trip counted. */
class WalletServiceTest {

    private static final Instant NOW = Instant.parse("2026-11-15T10:00:00Z");
    private static final AccountId ALICE = AccountId.of("alice");
    private static final AccountId NOBODY = AccountId.of("nobody");

    /** Renders the receipt the way a handler would, so a replay can be compared byte for byte. */
    private static final Function<DebitReceipt, StoredResponse> RENDER = receipt -> new StoredResponse(201,
            "{\"transactionId\":\"" + receipt.entry().transactionId() + "\",\"amount\":" + receipt.entry().amount()
                    + ",\"fromAllowance\":" + -receipt.entry().allowanceDelta()
                    + ",\"fromPurchased\":" + -receipt.entry().purchasedDelta()
                    + ",\"available\":" + receipt.available() + "}");

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryWalletStore store = new InMemoryWalletStore(clock);
    private final Catalog catalog = TestCatalogs.defaultCatalog();

    // ---- test data

    private WalletService service() {
        return new WalletService(store, catalog, clock);
    }

    private WalletService service(Catalog withCatalog) {
        return new WalletService(store, withCatalog, clock);
    }

    /** Opens the account through another process, so the service under test starts without a snapshot. */
    private Account givenAccount(AccountId id, long extraPurchasedCredits) {
        service().open(new CreateAccountCommand(id, Optional.empty()));
        Account account = extraPurchasedCredits > 0 ? store.grantAsOtherWriter(id, "credits", extraPurchasedCredits) : store.account(id);
        store.clearCalls();
        return account;
    }

    private static DebitCommand debit(AccountId id, String key, ChargeRequest charge) {
        return debit(id, key, charge, Metadata.NONE);
    }

    private static DebitCommand debit(AccountId id, String key, ChargeRequest charge, Metadata metadata) {
        // The fingerprint stands for route, account and body: the same request always has the same one.
        String fingerprint = "POST /v1/accounts/" + id + "/debits " + charge + " " + metadata.json();
        return new DebitCommand(id, charge, metadata, new Idempotency(new IdempotencyKey(key), fingerprint));
    }

    private static ChargeRequest credits(long amount) {
        return new ChargeRequest.ByAmount("credits", amount, "test charge of " + amount);
    }

    private static ChargeRequest operation(String name, Map<String, Object> params) {
        return new ChargeRequest.ByOperation(name, params);
    }

    private BucketBalance creditsOf(AccountId id) {
        return store.account(id).bucket("credits");
    }

    private long countOf(String call) {
        return store.calls().stream().filter(call::equals).count();
    }

    // ---- opening an account

    @Nested
    class Open {

        @Test
        void open_createsTheAccount_withTheSignupGrantInThePurchasedPart() {
            Opened opened = service().open(new CreateAccountCommand(ALICE, Optional.of("alice@example.com")));

            Account account = opened.account();
            assertThat(opened.created()).isTrue();
            assertThat(account.id()).isEqualTo(ALICE);
            assertThat(account.email()).isEqualTo("alice@example.com");
            assertThat(account.plan()).isEqualTo("free");
            assertThat(account.period().id()).isEqualTo("2026-11");
            assertThat(account.createdAt()).isEqualTo(NOW);
            assertThat(account.version()).isEqualTo(1);
            assertThat(account.buckets()).containsOnlyKeys("credits", "mockup", "dol", "weather");
            assertThat(account.bucket("credits")).isEqualTo(new BucketBalance(0, 10, 0));
            assertThat(account.bucket("mockup")).isEqualTo(BucketBalance.EMPTY);
            assertThat(store.account(ALICE)).isEqualTo(account);

            assertThat(store.entries(ALICE)).singleElement().satisfies(grant -> {
                assertThat(grant.type()).isEqualTo(EntryType.SIGNUP_GRANT);
                assertThat(grant.bucket()).isEqualTo("credits");
                assertThat(grant.amount()).isEqualTo(10);
                assertThat(grant.allowanceDelta()).isZero();
                assertThat(grant.purchasedDelta()).isEqualTo(10);
                assertThat(grant.createdAt()).isEqualTo(NOW);
                assertThat(TransactionIds.isValid(grant.transactionId())).isTrue();
            });
            assertThat(store.ledgerDisagreements(ALICE)).isEmpty();
        }

        @Test
        void open_ofAnExistingAccount_returnsIt_withoutASecondGrant() {
            Opened first = service().open(new CreateAccountCommand(ALICE, Optional.of("alice@example.com")));

            Opened again = service().open(new CreateAccountCommand(ALICE, Optional.of("other@example.com")));
            Opened onceMore = service().open(new CreateAccountCommand(ALICE, Optional.empty()));

            assertThat(again.created()).isFalse();
            assertThat(onceMore.created()).isFalse();
            assertThat(again.account()).isEqualTo(first.account());
            assertThat(again.account().email()).isEqualTo("alice@example.com");
            assertThat(store.entries(ALICE, EntryType.SIGNUP_GRANT)).hasSize(1);
            assertThat(creditsOf(ALICE)).isEqualTo(new BucketBalance(0, 10, 0));
        }

        @Test
        void open_ofAnAccountThatHasChangedSince_returnsItsCurrentState() {
            WalletService service = service();
            service.open(new CreateAccountCommand(ALICE, Optional.empty()));
            service.debit(debit(ALICE, "k1", credits(4)), RENDER);

            Opened again = service().open(new CreateAccountCommand(ALICE, Optional.empty()));

            assertThat(again.created()).isFalse();
            assertThat(again.account().version()).isEqualTo(2);
            assertThat(again.account().bucket("credits")).isEqualTo(new BucketBalance(0, 6, 0));
        }

        @Test
        void open_grantsTheDefaultPlansAllowance_withAPlanResetEntryPerBucket() {
            Opened opened = service(TestCatalogs.soloByDefault()).open(new CreateAccountCommand(ALICE, Optional.empty()));

            Account account = opened.account();
            assertThat(account.plan()).isEqualTo("solo");
            assertThat(account.bucket("mockup")).isEqualTo(new BucketBalance(3, 0, 0));
            assertThat(account.bucket("dol")).isEqualTo(new BucketBalance(3, 0, 0));
            assertThat(account.bucket("weather")).isEqualTo(new BucketBalance(2, 0, 0));
            assertThat(account.bucket("credits")).isEqualTo(new BucketBalance(0, 10, 0));
            assertThat(store.entries(ALICE, EntryType.PLAN_RESET))
                    .extracting(LedgerEntry::bucket, LedgerEntry::amount, LedgerEntry::allowanceDelta, LedgerEntry::purchasedDelta)
                    .containsExactlyInAnyOrder(
                            tuple("mockup", 3L, 3L, 0L),
                            tuple("dol", 3L, 3L, 0L),
                            tuple("weather", 2L, 2L, 0L));
            assertThat(store.entries(ALICE, EntryType.SIGNUP_GRANT)).hasSize(1);
            assertThat(store.entries(ALICE)).extracting(LedgerEntry::transactionId).doesNotHaveDuplicates();
            assertThat(store.ledgerDisagreements(ALICE)).isEmpty();
        }

        @Test
        void open_withACatalogWithoutSignupGrant_writesNoGrant() {
            Catalog noGrant = TestCatalogs.parse(TestCatalogs.defaultTextWith("\"amount\": 10}", "\"amount\": 0}"));

            Account account = service(noGrant).open(new CreateAccountCommand(ALICE, Optional.empty())).account();

            assertThat(account.bucket("credits")).isEqualTo(BucketBalance.EMPTY);
            assertThat(store.entries(ALICE)).isEmpty();
        }

        @Test
        void open_makesOneStoreCall_andPrimesTheSnapshot_soTheFirstDebitIsOneCallToo() {
            WalletService service = service();

            service.open(new CreateAccountCommand(ALICE, Optional.empty()));
            assertThat(store.calls()).containsExactly("create");
            store.clearCalls();
            service.debit(debit(ALICE, "k1", credits(1)), RENDER);

            assertThat(store.calls()).containsExactly("write");
        }
    }

    // ---- debits

    @Nested
    class Debit {

        @Test
        void debit_takesTheAllowanceFirst_thenThePurchasedPart() {
            WalletService service = service(TestCatalogs.soloByDefault());
            service.open(new CreateAccountCommand(ALICE, Optional.empty()));
            store.grantAsOtherWriter(ALICE, "mockup", 5);

            Answer answer = service.debit(debit(ALICE, "k1", new ChargeRequest.ByAmount("mockup", 4, "four mockups")), RENDER);

            assertThat(answer.replayed()).isFalse();
            assertThat(store.account(ALICE).bucket("mockup")).isEqualTo(new BucketBalance(0, 4, 0));
            LedgerEntry entry = store.entries(ALICE, EntryType.DEBIT).getFirst();
            assertThat(entry.amount()).isEqualTo(-4);
            assertThat(entry.allowanceDelta()).isEqualTo(-3);
            assertThat(entry.purchasedDelta()).isEqualTo(-1);
            assertThat(answer.response().body()).contains("\"fromAllowance\":3", "\"fromPurchased\":1", "\"available\":4");
            assertThat(store.ledgerDisagreements(ALICE)).isEmpty();
        }

        @Test
        void debit_ofAnOperation_chargesItsCatalogPrice_andRecordsWhatWasCharged() {
            givenAccount(ALICE, 40);
            Metadata metadata = Metadata.of(Map.of("job", "v-42", "retries", 0));

            Answer answer = service().debit(debit(ALICE, "k1",
                    operation("video_generation", Map.of("durationMinutes", 5, "resolution", "1080p", "customMusic", true)),
                    metadata), RENDER);

            assertThat(creditsOf(ALICE)).isEqualTo(new BucketBalance(0, 8, 0));
            LedgerEntry entry = store.entries(ALICE, EntryType.DEBIT).getFirst();
            assertThat(entry.accountId()).isEqualTo(ALICE);
            assertThat(entry.bucket()).isEqualTo("credits");
            assertThat(entry.amount()).isEqualTo(-42);
            assertThat(entry.operation()).isEqualTo("video_generation");
            assertThat(entry.description()).isNull();
            assertThat(entry.metadataJson()).isEqualTo("{\"job\":\"v-42\",\"retries\":0}");
            assertThat(entry.createdAt()).isEqualTo(NOW);
            assertThat(TransactionIds.isValid(entry.transactionId())).isTrue();
            assertThat(answer.response()).isEqualTo(new StoredResponse(201, "{\"transactionId\":\"" + entry.transactionId()
                    + "\",\"amount\":-42,\"fromAllowance\":0,\"fromPurchased\":42,\"available\":8}"));
            assertThat(store.account(ALICE).version()).isEqualTo(3);
            assertThat(store.ledgerDisagreements(ALICE)).isEmpty();
        }

        @Test
        void debit_ofACustomAmount_recordsItsDescription() {
            givenAccount(ALICE, 0);

            service().debit(debit(ALICE, "k1", new ChargeRequest.ByAmount("credits", 3, "manual export")), RENDER);

            LedgerEntry entry = store.entries(ALICE, EntryType.DEBIT).getFirst();
            assertThat(entry.description()).isEqualTo("manual export");
            assertThat(entry.operation()).isNull();
            assertThat(entry.metadataJson()).isNull();
            assertThat(creditsOf(ALICE)).isEqualTo(new BucketBalance(0, 7, 0));
        }

        @Test
        void debit_storesTheResponse_underItsKey_forTheRetentionPeriod() {
            givenAccount(ALICE, 0);
            DebitCommand command = debit(ALICE, "k1", credits(2));

            Answer answer = service().debit(command, RENDER);

            IdempotencyRecord record = store.record(ALICE, new IdempotencyKey("k1")).orElseThrow();
            assertThat(record.fingerprint()).isEqualTo(command.idempotency().fingerprint());
            assertThat(record.response()).isEqualTo(answer.response());
            assertThat(record.createdAt()).isEqualTo(NOW);
            assertThat(record.expiresAt()).isEqualTo(NOW.plusSeconds(Limits.IDEMPOTENCY_RETENTION_SECONDS));
        }

        @Test
        void debit_thatTheBucketCannotCover_isRefusedWithBucketRequiredAndAvailable_andWritesNothing() {
            Account before = givenAccount(ALICE, 0);

            assertThatThrownBy(() -> service().debit(debit(ALICE, "k1",
                    operation("video_generation", Map.of("durationMinutes", 3, "resolution", "720p"))), RENDER))
                    .isInstanceOf(InsufficientTokensException.class);
            assertThatThrownBy(() -> service().debit(debit(ALICE, "k2", credits(11)), RENDER))
                    .isInstanceOfSatisfying(InsufficientTokensException.class, e -> {
                        assertThat(e.bucket()).isEqualTo("credits");
                        assertThat(e.required()).isEqualTo(11);
                        assertThat(e.available()).isEqualTo(10);
                    });

            assertThat(store.account(ALICE)).isEqualTo(before);
            assertThat(store.entries(ALICE, EntryType.DEBIT)).isEmpty();
            assertThat(store.record(ALICE, new IdempotencyKey("k2"))).isEmpty();
            assertThat(countOf("write")).isZero();
        }

        @Test
        void debit_ofExactlyTheAvailableTokens_leavesZero() {
            givenAccount(ALICE, 0);

            Answer answer = service().debit(debit(ALICE, "k1", credits(10)), RENDER);

            assertThat(answer.response().body()).contains("\"available\":0");
            assertThat(creditsOf(ALICE)).isEqualTo(BucketBalance.EMPTY);
        }

        @Test
        void refusedDebit_doesNotUseUpItsKey_soTheSameKeySucceedsAfterATopUp() {
            givenAccount(ALICE, 0);
            WalletService service = service();
            DebitCommand command = debit(ALICE, "k1", credits(50));
            assertThatThrownBy(() -> service.debit(command, RENDER)).isInstanceOf(InsufficientTokensException.class);

            store.grantAsOtherWriter(ALICE, "credits", 100);
            store.clearCalls();
            Answer answer = service.debit(command, RENDER);

            assertThat(answer.replayed()).isFalse();
            assertThat(creditsOf(ALICE)).isEqualTo(new BucketBalance(0, 60, 0));
            assertThat(store.entries(ALICE, EntryType.DEBIT)).hasSize(1);
            // The snapshot said 10; a refusal is decided only on a state read together with the key.
            assertThat(store.calls()).containsExactly("readForWrite", "write");
        }

        @Test
        void debit_ofAnUnknownAccount_isAccountNotFound_andWritesNothing() {
            assertThatThrownBy(() -> service().debit(debit(NOBODY, "k1", credits(1)), RENDER))
                    .isInstanceOfSatisfying(AccountNotFoundException.class, e -> assertThat(e.code()).isEqualTo("account_not_found"));

            assertThat(store.calls()).containsExactly("readForWrite");
        }

        @Test
        void debit_withAnInvalidCharge_isRefusedBeforeTheStoreIsAsked() {
            givenAccount(ALICE, 0);

            assertThatThrownBy(() -> service().debit(debit(ALICE, "k1", operation("teleport", Map.of())), RENDER))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("operation"));
            assertThatThrownBy(() -> service().debit(debit(ALICE, "k2", new ChargeRequest.ByAmount("gems", 1, "x")), RENDER))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("bucket"));
            assertThatThrownBy(() -> service().debit(debit(ALICE, "k3",
                    operation("video_generation", Map.of("durationMinutes", 500, "resolution", "720p"))), RENDER))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("params.durationMinutes"));

            assertThat(store.calls()).isEmpty();
        }

        @Test
        void debit_inANewCalendarMonth_rollsTheAccountOverFirst() {
            WalletService service = service(TestCatalogs.soloByDefault());
            service.open(new CreateAccountCommand(ALICE, Optional.empty()));
            service.debit(debit(ALICE, "nov", new ChargeRequest.ByAmount("mockup", 2, "november")), RENDER);
            assertThat(store.account(ALICE).bucket("mockup")).isEqualTo(new BucketBalance(1, 0, 0));

            clock.set(Instant.parse("2026-12-02T09:00:00Z"));
            service.debit(debit(ALICE, "dec", new ChargeRequest.ByAmount("mockup", 1, "december")), RENDER);

            Account account = store.account(ALICE);
            assertThat(account.period().id()).isEqualTo("2026-12");
            assertThat(account.bucket("mockup")).isEqualTo(new BucketBalance(2, 0, 0));
            assertThat(store.entries(ALICE, EntryType.PLAN_RESET))
                    .anySatisfy(e -> assertThat(e.createdAt()).isAfterOrEqualTo(Instant.parse("2026-12-01T00:00:00Z")));
            assertThat(store.ledgerDisagreements(ALICE)).isEmpty();
        }
    }

    // ---- idempotency

    @Nested
    class Replays {

        @Test
        void replay_withTheSameKeyAndBody_answersTheStoredResponse_andWritesNothing() {
            givenAccount(ALICE, 0);
            WalletService service = service();
            DebitCommand command = debit(ALICE, "k1", credits(3));
            Answer first = service.debit(command, RENDER);
            Account afterFirst = store.account(ALICE);
            List<LedgerEntry> entriesAfterFirst = store.entries(ALICE);
            store.clearCalls();

            Answer replay = service.debit(command, RENDER);

            assertThat(replay.replayed()).isTrue();
            assertThat(replay.response()).isEqualTo(first.response());
            assertThat(store.account(ALICE)).isEqualTo(afterFirst);
            assertThat(store.entries(ALICE)).isEqualTo(entriesAfterFirst);
            assertThat(creditsOf(ALICE)).isEqualTo(new BucketBalance(0, 7, 0));
            assertThat(store.record(ALICE, new IdempotencyKey("k1")).orElseThrow().response()).isEqualTo(first.response());
        }

        @Test
        void replay_inTheProcessThatAnsweredFirst_needsNoStoreCall() {
            givenAccount(ALICE, 0);
            WalletService service = service();
            DebitCommand command = debit(ALICE, "k1", credits(3));
            Answer first = service.debit(command, RENDER);
            store.clearCalls();

            Answer replay = service.debit(command, RENDER);

            assertThat(replay).isEqualTo(new Answer(first.response(), true));
            assertThat(store.calls()).isEmpty();
        }

        @Test
        void replay_inAnotherProcess_isAnsweredFromTheReadAlone() {
            givenAccount(ALICE, 0);
            DebitCommand command = debit(ALICE, "k1", credits(3));
            Answer first = service().debit(command, RENDER);
            store.clearCalls();

            Answer replay = service().debit(command, RENDER);

            assertThat(replay).isEqualTo(new Answer(first.response(), true));
            assertThat(store.calls()).containsExactly("readForWrite");
            assertThat(store.entries(ALICE, EntryType.DEBIT)).hasSize(1);
        }

        @Test
        void replay_isAnswered_evenWhenTheBalanceNoLongerCoversTheCharge() {
            givenAccount(ALICE, 0);
            WalletService service = service();
            DebitCommand command = debit(ALICE, "k1", credits(8));
            Answer first = service.debit(command, RENDER);
            store.debitAsOtherWriter(ALICE, "credits", 2);

            Answer sameProcess = service.debit(command, RENDER);
            Answer otherProcess = service().debit(command, RENDER);

            assertThat(sameProcess).isEqualTo(new Answer(first.response(), true));
            assertThat(otherProcess).isEqualTo(new Answer(first.response(), true));
            assertThat(creditsOf(ALICE)).isEqualTo(BucketBalance.EMPTY);
            assertThat(store.entries(ALICE, EntryType.DEBIT)).hasSize(2);
        }

        @Test
        void sameKey_withAnotherBody_isRefusedAsReused_andWritesNothing() {
            givenAccount(ALICE, 0);
            WalletService service = service();
            service.debit(debit(ALICE, "k1", credits(3)), RENDER);
            Account afterFirst = store.account(ALICE);

            assertThatThrownBy(() -> service.debit(debit(ALICE, "k1", credits(4)), RENDER))
                    .isInstanceOfSatisfying(IdempotencyKeyReusedException.class,
                            e -> assertThat(e.code()).isEqualTo("idempotency_key_reused"));
            assertThatThrownBy(() -> service().debit(debit(ALICE, "k1", operation("ai_chat", Map.of())), RENDER))
                    .isInstanceOf(IdempotencyKeyReusedException.class);

            assertThat(store.account(ALICE)).isEqualTo(afterFirst);
            assertThat(store.entries(ALICE, EntryType.DEBIT)).hasSize(1);
        }

        @Test
        void sameKey_withAnotherBody_isRefusedAsReused_evenWhenItWouldNotBeAffordable() {
            givenAccount(ALICE, 0);
            service().debit(debit(ALICE, "k1", credits(3)), RENDER);

            assertThatThrownBy(() -> service().debit(debit(ALICE, "k1", credits(500)), RENDER))
                    .isInstanceOf(IdempotencyKeyReusedException.class);
        }

        @Test
        void differentKeys_areDifferentDebits() {
            givenAccount(ALICE, 0);
            WalletService service = service();

            Answer first = service.debit(debit(ALICE, "k1", credits(3)), RENDER);
            Answer second = service.debit(debit(ALICE, "k2", credits(3)), RENDER);

            assertThat(second.replayed()).isFalse();
            assertThat(second.response()).isNotEqualTo(first.response());
            assertThat(creditsOf(ALICE)).isEqualTo(new BucketBalance(0, 4, 0));
        }

        @Test
        void keyPastItsRetention_isFreeAgain() {
            givenAccount(ALICE, 0);
            DebitCommand command = debit(ALICE, "k1", credits(3));
            service().debit(command, RENDER);

            clock.advance(Duration.ofSeconds(Limits.IDEMPOTENCY_RETENTION_SECONDS + 1));
            Answer later = service().debit(command, RENDER);

            assertThat(later.replayed()).isFalse();
            assertThat(store.entries(ALICE, EntryType.DEBIT)).hasSize(2);
        }
    }

    // ---- contention and the snapshot cache

    @Nested
    class Contention {

        @Test
        void staleWrite_isRetriedOnTheFreshState_thatTheStoreHandedBack() {
            givenAccount(ALICE, 90);
            WalletService service = service();
            service.debit(debit(ALICE, "k1", credits(5)), RENDER);
            store.debitAsOtherWriter(ALICE, "credits", 30);
            List<WalletStore.AccountWrite> attempts = Collections.synchronizedList(new ArrayList<>());
            store.beforeEachWrite(attempts::add);
            store.clearCalls();

            Answer answer = service.debit(debit(ALICE, "k2", credits(20)), RENDER);

            assertThat(answer.replayed()).isFalse();
            assertThat(store.calls()).containsExactly("write", "write");
            assertThat(attempts).extracting(w -> w.before().version()).containsExactly(3L, 4L);
            assertThat(attempts.get(1).after().bucket("credits")).isEqualTo(new BucketBalance(0, 45, 0));
            assertThat(creditsOf(ALICE)).isEqualTo(new BucketBalance(0, 45, 0));
            assertThat(store.account(ALICE).version()).isEqualTo(5);
            assertThat(answer.response().body()).contains("\"available\":45");
            assertThat(store.entries(ALICE, EntryType.DEBIT)).extracting(LedgerEntry::amount).containsExactly(-5L, -30L, -20L);
            assertThat(store.ledgerDisagreements(ALICE)).isEmpty();
        }

        @Test
        void staleWrite_whoseFreshStateCannotPay_isRefusedOnlyAfterAReadWithTheKey() {
            givenAccount(ALICE, 90);
            WalletService service = service();
            service.debit(debit(ALICE, "k1", credits(5)), RENDER);
            store.debitAsOtherWriter(ALICE, "credits", 90);
            Account drained = store.account(ALICE);
            store.clearCalls();

            assertThatThrownBy(() -> service.debit(debit(ALICE, "k2", credits(20)), RENDER))
                    .isInstanceOfSatisfying(InsufficientTokensException.class, e -> {
                        assertThat(e.required()).isEqualTo(20);
                        assertThat(e.available()).isEqualTo(5);
                    });
            assertThat(store.calls()).containsExactly("write", "readForWrite");
            assertThat(store.account(ALICE)).isEqualTo(drained);
        }

        @Test
        void hotAccount_stopsRetryingOnceTheRequestsDeadlinePasses_withAccountBusy_andChargesNothing() {
            givenAccount(ALICE, 0);
            long[] remainingMillis = {1_000};
            WalletService service = new WalletService(store, catalog, clock, new AccountSnapshots(100), () -> () -> remainingMillis[0]);
            service.debit(debit(ALICE, "k0", credits(1)), RENDER);
            // Each write takes 400 ms of the request's time and finds the account changed by another writer.
            store.beforeEachWrite(w -> {
                remainingMillis[0] -= 400;
                store.grantAsOtherWriter(ALICE, "credits", 1);
            });
            store.clearCalls();
            DebitCommand command = debit(ALICE, "k1", credits(2));

            assertThatThrownBy(() -> service.debit(command, RENDER))
                    .isInstanceOfSatisfying(com.tokenwallet.domain.AccountBusyException.class,
                            e -> assertThat(e.code()).isEqualTo("store_unavailable"));

            // 1000 -> 600 -> 200 -> -200: the third write used up the deadline, so no fourth attempt starts.
            assertThat(countOf("write")).isEqualTo(3);
            assertThat(store.entries(ALICE, EntryType.DEBIT)).hasSize(1);
            assertThat(store.record(ALICE, new IdempotencyKey("k1"))).isEmpty();
            assertThat(store.ledgerDisagreements(ALICE)).isEmpty();

            // A new request (a new deadline) with the same key, once the burst is over, charges once.
            store.beforeEachWrite(w -> { });
            remainingMillis[0] = 1_000;
            assertThat(service.debit(command, RENDER).replayed()).isFalse();
            assertThat(store.entries(ALICE, EntryType.DEBIT)).hasSize(2);
        }

        @Test
        void aDeadlineAlreadyPassed_stillAllowsTheFirstAttempt() {
            givenAccount(ALICE, 10);
            WalletService service = new WalletService(store, catalog, clock, new AccountSnapshots(100), () -> () -> 0);

            assertThat(service.debit(debit(ALICE, "k1", credits(2)), RENDER).replayed()).isFalse();
            assertThat(store.entries(ALICE, EntryType.DEBIT)).hasSize(1);
        }

        @Test
        void accountThatKeepsChanging_endsWithStoreUnavailable_afterTheBoundedAttempts_andChargesNothing() {
            givenAccount(ALICE, 0);
            WalletService service = service();
            service.debit(debit(ALICE, "k0", credits(1)), RENDER);
            // Another writer commits before every one of this service's writes, so each one finds the account changed.
            store.beforeEachWrite(w -> store.grantAsOtherWriter(ALICE, "credits", 1));
            store.clearCalls();
            DebitCommand command = debit(ALICE, "k1", credits(2));

            assertThatThrownBy(() -> service.debit(command, RENDER))
                    .isInstanceOfSatisfying(StoreUnavailableException.class, e -> assertThat(e.code()).isEqualTo("store_unavailable"));

            assertThat(countOf("write")).isEqualTo(WalletService.MAX_WRITE_ATTEMPTS);
            assertThat(store.entries(ALICE, EntryType.DEBIT)).hasSize(1);
            assertThat(store.record(ALICE, new IdempotencyKey("k1"))).isEmpty();
            assertThat(store.ledgerDisagreements(ALICE)).isEmpty();

            // Once the burst is over, the client's retry with the same key charges once.
            store.beforeEachWrite(w -> { });
            Answer retry = service.debit(command, RENDER);
            assertThat(retry.replayed()).isFalse();
            assertThat(store.entries(ALICE, EntryType.DEBIT)).hasSize(2);
        }

        @Test
        void accountThatKeepsChanging_withoutASnapshot_alsoStopsAtTheBound() {
            givenAccount(ALICE, 0);
            store.beforeEachWrite(w -> store.grantAsOtherWriter(ALICE, "credits", 1));

            assertThatThrownBy(() -> service().debit(debit(ALICE, "k1", credits(2)), RENDER))
                    .isInstanceOf(StoreUnavailableException.class);

            assertThat(countOf("write")).isEqualTo(WalletService.MAX_WRITE_ATTEMPTS);
            assertThat(countOf("readForWrite")).isEqualTo(1);
            assertThat(store.entries(ALICE, EntryType.DEBIT)).isEmpty();
        }

        @Test
        void secondDebit_onTheSameService_isExactlyOneStoreCall() {
            givenAccount(ALICE, 0);
            WalletService service = service();

            service.debit(debit(ALICE, "k1", credits(1)), RENDER);
            assertThat(store.calls()).containsExactly("readForWrite", "write");
            store.clearCalls();
            service.debit(debit(ALICE, "k2", credits(1)), RENDER);

            assertThat(store.calls()).containsExactly("write");
            assertThat(creditsOf(ALICE)).isEqualTo(new BucketBalance(0, 8, 0));
        }

        @Test
        void snapshot_isKeptPerAccount() {
            givenAccount(ALICE, 0);
            AccountId bob = AccountId.of("bob");
            givenAccount(bob, 0);
            WalletService service = service();
            service.debit(debit(ALICE, "k1", credits(1)), RENDER);
            store.clearCalls();

            service.debit(debit(bob, "k1", credits(1)), RENDER);

            assertThat(store.calls()).containsExactly("readForWrite", "write");
            assertThat(creditsOf(bob)).isEqualTo(new BucketBalance(0, 9, 0));
            assertThat(creditsOf(ALICE)).isEqualTo(new BucketBalance(0, 9, 0));
        }

        @Test
        @Timeout(60)
        void concurrentDebits_fromSeveralProcesses_chargeExactlyOnceEach() throws Exception {
            givenAccount(ALICE, 190);
            int threads = 4;
            int perThread = 50;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    results.add(pool.submit(() -> {
                        WalletService process = service();
                        int unavailable = 0;
                        for (int i = 0; i < perThread; i++) {
                            DebitCommand command = debit(ALICE, "t" + thread + "-" + i, credits(1));
                            // A client retries a 503 with the same key; the key makes the retry safe.
                            while (true) {
                                try {
                                    process.debit(command, RENDER);
                                    break;
                                } catch (StoreUnavailableException e) {
                                    unavailable++;
                                }
                            }
                        }
                        return unavailable;
                    }));
                }
                for (Future<Integer> result : results) {
                    result.get();
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(creditsOf(ALICE)).isEqualTo(BucketBalance.EMPTY);
            assertThat(store.entries(ALICE, EntryType.DEBIT)).hasSize(threads * perThread);
            assertThat(store.ledgerDisagreements(ALICE)).isEmpty();
            assertThatThrownBy(() -> service().debit(debit(ALICE, "one-more", credits(1)), RENDER))
                    .isInstanceOf(InsufficientTokensException.class);
        }
    }

    // ---- reads

    @Nested
    class Reads {

        @Test
        void quote_pricesTheOperation_againstTheAvailableTokens_andChangesNothing() {
            givenAccount(ALICE, 0);

            Quote affordable = service().quote(new QuoteCommand(ALICE, new ChargeRequest.ByOperation("voice_interview", null)));
            Quote tooDear = service().quote(new QuoteCommand(ALICE,
                    new ChargeRequest.ByOperation("video_generation", Map.of("durationMinutes", 3, "resolution", "720p"))));

            assertThat(affordable).isEqualTo(new Quote("voice_interview", "credits", 10, 10, true));
            assertThat(tooDear).isEqualTo(new Quote("video_generation", "credits", 15, 10, false));
            assertThat(store.calls()).containsOnly("findAccount");
            assertThat(store.account(ALICE).version()).isEqualTo(1);
        }

        @Test
        void quote_forAnUnknownAccount_isAccountNotFound_andForAnUnknownOperation_isInvalid() {
            givenAccount(ALICE, 0);

            assertThatThrownBy(() -> service().quote(new QuoteCommand(NOBODY, new ChargeRequest.ByOperation("ai_chat", null))))
                    .isInstanceOf(AccountNotFoundException.class);
            assertThatThrownBy(() -> service().quote(new QuoteCommand(ALICE, new ChargeRequest.ByOperation("teleport", null))))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("operation"));
        }

        @Test
        void balance_isTheStoredAccount_orAccountNotFound() {
            Account alice = givenAccount(ALICE, 5);

            assertThat(service().balance(ALICE)).isEqualTo(alice);
            assertThatThrownBy(() -> service().balance(NOBODY))
                    .isInstanceOfSatisfying(AccountNotFoundException.class, e -> assertThat(e.getMessage()).contains("nobody"));
        }

        @Test
        void transactions_areNewestFirst_pageByPage() {
            givenAccount(ALICE, 0);
            WalletService service = service();
            for (int i = 1; i <= 3; i++) {
                clock.advance(Duration.ofSeconds(1));
                service.debit(debit(ALICE, "k" + i, credits(i)), RENDER);
            }

            LedgerPage first = service.transactions(ALICE, 2, Optional.empty());
            LedgerPage second = service.transactions(ALICE, 2, first.continueAfter());

            assertThat(first.entries()).extracting(LedgerEntry::amount).containsExactly(-3L, -2L);
            assertThat(first.continueAfter()).isPresent();
            assertThat(second.entries()).extracting(LedgerEntry::type).containsExactly(EntryType.DEBIT, EntryType.SIGNUP_GRANT);
            assertThat(second.entries().getFirst().amount()).isEqualTo(-1);
            assertThat(second.continueAfter()).isEmpty();
        }

        @Test
        void transactions_limitIsFrom1To100() {
            givenAccount(ALICE, 0);

            assertThat(service().transactions(ALICE, 1, Optional.empty()).entries()).hasSize(1);
            assertThat(service().transactions(ALICE, Limits.MAX_PAGE_SIZE, Optional.empty()).entries()).hasSize(1);
            for (int limit : new int[] {0, -1, Limits.MAX_PAGE_SIZE + 1}) {
                assertThatThrownBy(() -> service().transactions(ALICE, limit, Optional.empty()))
                        .as("limit %d", limit)
                        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("limit"));
            }
        }

        @Test
        void transactions_ofAnUnknownAccount_isAccountNotFound_butAnEmptyLedgerOfAKnownOneIsEmpty() {
            Catalog noGrant = TestCatalogs.parse(TestCatalogs.defaultTextWith("\"amount\": 10}", "\"amount\": 0}"));
            service(noGrant).open(new CreateAccountCommand(ALICE, Optional.empty()));

            assertThatThrownBy(() -> service().transactions(NOBODY, 20, Optional.empty()))
                    .isInstanceOf(AccountNotFoundException.class);
            assertThat(service().transactions(ALICE, 20, Optional.empty()).entries()).isEmpty();
        }
    }
}
