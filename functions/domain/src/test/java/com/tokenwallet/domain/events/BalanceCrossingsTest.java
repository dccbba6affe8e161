package com.tokenwallet.domain.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.admin.AdminCommands;
import com.tokenwallet.domain.command.ChargeRequest;
import com.tokenwallet.domain.command.CreateAccountCommand;
import com.tokenwallet.domain.command.DebitCommand;
import com.tokenwallet.domain.command.HoldCommands;
import com.tokenwallet.domain.command.Metadata;
import com.tokenwallet.domain.events.BalanceEvent.Type;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.idempotency.IdempotencyKey;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.service.ObservedWalletStore;
import com.tokenwallet.domain.service.WalletService;
import com.tokenwallet.domain.testing.InMemoryWalletStore;
import com.tokenwallet.domain.testing.MutableClock;
import com.tokenwallet.domain.testing.TestCatalogs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** wallet.balance.low and wallet.balance.depleted: once per downward crossing, from any writer, only on commits. */
class BalanceCrossingsTest {
    private static final AccountId ADA = AccountId.of("ada");
    private final MutableClock clock = MutableClock.at("2026-11-10T10:00:00Z");
    private final InMemoryWalletStore raw = new InMemoryWalletStore(clock);
    private final List<BalanceEvent> published = new ArrayList<>();
    private final List<RuntimeException> observerFailures = new ArrayList<>();
    private final BalanceThresholds thresholds = BalanceThresholds.parse("credits=5", List.of("credits", "mockup"), "T");
    private final WalletService wallet = new WalletService(new ObservedWalletStore(raw,
            List.of(new BalanceCrossings(thresholds, published::addAll, clock)), observerFailures::add),
            TestCatalogs.defaultCatalog(), clock);
    private int keys;

    @Test
    void debitsDownToZero_sendLowOnceAndDepletedOnce() {
        wallet.open(new CreateAccountCommand(ADA, Optional.empty()));  // 10 credits
        for (int i = 0; i < 10; i++) {
            debit(1);
        }
        assertThat(published).extracting(BalanceEvent::type, BalanceEvent::availableBefore, BalanceEvent::availableAfter)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Type.LOW, 6L, 5L), org.assertj.core.groups.Tuple.tuple(Type.DEPLETED, 1L, 0L));
        assertThat(published.getFirst().threshold()).isEqualTo(5);
        assertThat(published.getFirst().bucket()).isEqualTo("credits");
    }

    @Test
    void oneWriteAcrossBothLines_sendsBoth_andARiseThenFallSendsAgain() {
        wallet.open(new CreateAccountCommand(ADA, Optional.empty()));
        debit(10);
        assertThat(published).extracting(BalanceEvent::type).containsExactly(Type.LOW, Type.DEPLETED);

        wallet.grant(new AdminCommands.Grant(ADA, "credits", 8, "top-up", "ops", Optional.empty()), r -> new StoredResponse(201, ""));
        debit(4);
        assertThat(published).extracting(BalanceEvent::type).containsExactly(Type.LOW, Type.DEPLETED, Type.LOW);
        assertThat(published.getLast().availableAfter()).isEqualTo(4);
    }

    @Test
    void aHoldCountsAsSpent_andAnExpiredHoldAsReleased() {
        wallet.open(new CreateAccountCommand(ADA, Optional.empty()));
        wallet.hold(new HoldCommands.Hold(ADA, new ChargeRequest.ByAmount("credits", 6, "render"), 60, Metadata.NONE, key()),
                r -> new StoredResponse(201, ""));
        assertThat(published).extracting(BalanceEvent::type).containsExactly(Type.LOW);

        // The hold expires unseen (available is 10 again), then a debit of 6 crosses the line once more.
        clock.advance(Duration.ofMinutes(5));
        debit(6);
        assertThat(published).extracting(BalanceEvent::type).containsExactly(Type.LOW, Type.LOW);
    }

    @Test
    void refusedWritesAndReplaysSendNothing() {
        wallet.open(new CreateAccountCommand(ADA, Optional.empty()));
        Idempotency key = key();
        debitWith(key, 6);
        debitWith(key, 6);
        assertThatThrownBy(() -> debit(50)).isInstanceOf(com.tokenwallet.domain.InsufficientTokensException.class);
        assertThat(published).hasSize(1);
    }

    @Test
    void aFailingPublisherNeverFailsTheWrite() {
        WalletService failing = new WalletService(new ObservedWalletStore(raw, List.of(new BalanceCrossings(thresholds, events -> {
            throw new IllegalStateException("bus down");
        }, clock)), observerFailures::add), TestCatalogs.defaultCatalog(), clock);
        failing.open(new CreateAccountCommand(ADA, Optional.empty()));

        failing.debit(new DebitCommand(ADA, new ChargeRequest.ByAmount("credits", 10, "all"), Metadata.NONE, key()),
                r -> new StoredResponse(201, "ok"));

        assertThat(raw.account(ADA).bucket("credits").available()).isZero();
        assertThat(observerFailures).singleElement().satisfies(e -> assertThat(e).hasMessage("bus down"));
    }

    @Test
    void thresholdsAreParsedStrictly() {
        List<String> buckets = List.of("credits", "mockup");
        assertThat(BalanceThresholds.parse(" credits = 5 , mockup=1 ", buckets, "T").lowByBucket())
                .containsEntry("credits", 5L).containsEntry("mockup", 1L);
        assertThat(BalanceThresholds.parse("", buckets, "T")).isEqualTo(BalanceThresholds.NONE);
        for (String bad : List.of("credits", "gold=1", "credits=0", "credits=x", "credits=1,credits=2", "=3")) {
            assertThatThrownBy(() -> BalanceThresholds.parse(bad, buckets, "WALLET_LOW_BALANCE_THRESHOLDS"))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("WALLET_LOW_BALANCE_THRESHOLDS");
        }
    }

    private void debit(long amount) {
        debitWith(key(), amount);
    }

    private void debitWith(Idempotency key, long amount) {
        wallet.debit(new DebitCommand(ADA, new ChargeRequest.ByAmount("credits", amount, "d"), Metadata.NONE, key),
                r -> new StoredResponse(201, "ok"));
    }

    private Idempotency key() {
        String k = "k" + (keys++);
        return new Idempotency(new IdempotencyKey(k), k);
    }
}
