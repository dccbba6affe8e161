package com.tokenwallet.domain.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.f4b6a3.ulid.Ulid;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.testing.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Ledger entries keep amount = allowanceDelta + purchasedDelta; transaction ids are ordered ULIDs. */
class LedgerTest {

    private static final Instant NOW = Instant.parse("2026-11-15T10:00:00Z");

    private static LedgerEntry entry(long amount, long allowanceDelta, long purchasedDelta) {
        return new LedgerEntry("tx_01JC0000000000000000000000", AccountId.of("u"), EntryType.DEBIT, "credits", amount,
                allowanceDelta, purchasedDelta, "ai_chat", null, null, null, NOW);
    }

    @ParameterizedTest(name = "amount {0} = {1} + {2}")
    @CsvSource({"-5, -3, -2", "10, 0, 10", "0, 0, 0", "3, 3, 0", "-1, 0, -1", "2, 5, -3"})
    void entry_whoseAmountIsTheSumOfItsDeltas_isAccepted(long amount, long allowanceDelta, long purchasedDelta) {
        assertThat(entry(amount, allowanceDelta, purchasedDelta).amount()).isEqualTo(amount);
    }

    @ParameterizedTest(name = "amount {0} != {1} + {2}")
    @CsvSource({"-5, -3, -3", "5, -3, -2", "10, 10, 10", "1, 0, 0", "0, 1, 0"})
    void entry_whoseAmountIsNotTheSumOfItsDeltas_isRefused(long amount, long allowanceDelta, long purchasedDelta) {
        assertThatThrownBy(() -> entry(amount, allowanceDelta, purchasedDelta))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tx_01JC0000000000000000000000");
    }

    @Test
    void transactionIds_areTxPlusAUlid() {
        String id = new TransactionIds(Clock.fixed(NOW, ZoneOffset.UTC)).next();

        assertThat(id).startsWith("tx_").hasSize(29);
        assertThat(TransactionIds.isValid(id)).isTrue();
        assertThat(Ulid.isValid(id.substring(3))).isTrue();
        assertThat(Ulid.from(id.substring(3)).getInstant()).isEqualTo(NOW);
    }

    @Test
    void transactionIds_fromOneGenerator_onAFixedClock_areUniqueAndStrictlyIncreasing() {
        TransactionIds ids = new TransactionIds(Clock.fixed(NOW, ZoneOffset.UTC));
        List<String> generated = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            generated.add(ids.next());
        }

        assertThat(new HashSet<>(generated)).hasSize(generated.size());
        for (int i = 1; i < generated.size(); i++) {
            assertThat(generated.get(i)).as("id %d", i).isGreaterThan(generated.get(i - 1));
        }
        assertThat(generated).allMatch(TransactionIds::isValid);
    }

    @Test
    void transactionIds_followTheClock_andStayIncreasingWhenItStepsBackALittle() {
        MutableClock clock = new MutableClock(NOW);
        TransactionIds ids = new TransactionIds(clock);

        String first = ids.next();
        clock.advance(Duration.ofMillis(5));
        String second = ids.next();
        clock.advance(Duration.ofMillis(-3));
        String third = ids.next();

        assertThat(Ulid.from(second.substring(3)).getInstant()).isEqualTo(NOW.plusMillis(5));
        assertThat(List.of(first, second, third)).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void transactionIds_areUniqueAcrossThreadsSharingOneGenerator() throws InterruptedException {
        TransactionIds ids = new TransactionIds(Clock.fixed(NOW, ZoneOffset.UTC));
        Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 2_000; i++) {
                    seen.add(ids.next());
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }

        assertThat(seen).hasSize(8_000);
    }

    @ParameterizedTest(name = "\"{0}\" is not a transaction id")
    @NullAndEmptySource
    @ValueSource(strings = {"tx_", "01JC0000000000000000000000", "tx_01JC000000000000000000000", "tx_01JC00000000000000000000000",
            "TX_01JC0000000000000000000000", "tx_01JC000000000000000000000I", "tx_01JC000000000000000000000L",
            "tx_01JC000000000000000000000O", "tx_01JC000000000000000000000U", "tx_01jc0000000000000000000000",
            "rf_01JC0000000000000000000000"})
    void isValid_refusesAnythingButTxAndACrockfordUlid(String id) {
        assertThat(TransactionIds.isValid(id)).isFalse();
    }

    static Stream<String> specTypes() {
        return Stream.of("signup_grant", "debit", "hold", "capture", "release", "expiry", "refund", "purchase",
                "plan_reset", "grant", "adjustment", "clawback", "credit_limit"); // credit_limit: issue 15
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specTypes")
    void entryType_wireNames_areTheSpecTypes_andRoundTrip(String wireName) {
        assertThat(EntryType.fromWireName(wireName).wireName()).isEqualTo(wireName);
    }

    @Test
    void entryType_hasExactlyTheSpecTypes() {
        assertThat(Stream.of(EntryType.values()).map(EntryType::wireName)).containsExactlyInAnyOrderElementsOf(specTypes().toList());
        assertThatThrownBy(() -> EntryType.fromWireName("DEBIT")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EntryType.fromWireName("bonus")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ledgerPage_isACopy() {
        List<LedgerEntry> entries = new ArrayList<>(List.of(entry(-1, 0, -1)));
        LedgerPage page = new LedgerPage(entries, java.util.Optional.empty());
        entries.clear();

        assertThat(page.entries()).hasSize(1);
    }
}
