package com.tokenwallet.domain.contract;

import static com.tokenwallet.domain.contract.ContractSupport.applied;
import static com.tokenwallet.domain.contract.ContractSupport.created;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.port.AccountAudit;
import com.tokenwallet.domain.port.AccountAudit.Parts;
import com.tokenwallet.domain.port.AccountAudit.StoredAccount;
import com.tokenwallet.domain.port.AccountAudit.StoredHold;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The health report's raw reads: every account item once, in bounded pages, and the bounded sums of a ledger. */
public interface AuditContract extends ContractSupport {

    @Test
    default void accounts_pageThroughEveryAccountExactlyOnce_withTheirNumbersAsStored() {
        try (Fresh f = fresh()) {
            Map<AccountId, Account> accounts = new HashMap<>();
            for (int i = 0; i < 23; i++) {
                Account a = created(f.wallet(), f.samples(), "audit-" + i, 10 + i);
                if (i % 5 == 0) {
                    a = applied(f.wallet(), f.samples().hold(a, f.samples().holdId(), 2, f.samples().now().plusSeconds(90)));
                }
                accounts.put(a.id(), a);
            }
            AccountAudit audit = f.stores().audit();
            for (int maxItems : List.of(1, 4, 50)) {
                List<StoredAccount> seen = new ArrayList<>();
                Optional<String> after = Optional.empty();
                for (int page = 0; page < 1_000; page++) {
                    AccountAudit.Page p = audit.accounts(after, maxItems);
                    assertThat(p.accounts().size()).isLessThanOrEqualTo(maxItems);
                    assertThat(p.itemsRead()).isBetween(p.accounts().size(), maxItems);
                    seen.addAll(p.accounts());
                    if (p.next().isEmpty()) {
                        break;
                    }
                    after = p.next();
                }
                assertThat(seen).extracting(StoredAccount::id).as("pages of %d", maxItems)
                        .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(accounts.keySet());
                for (StoredAccount s : seen) {
                    assertThat(s).isEqualTo(audit.account(s.id()).orElseThrow());
                    assertThat(s.problem()).isEmpty();
                    Account a = accounts.get(s.id());
                    assertThat(s.version()).isEqualTo(a.version());
                    assertThat(s.buckets()).containsExactly(Map.entry("credits",
                            new Parts(a.bucket("credits").allowance(), a.bucket("credits").purchased(), a.bucket("credits").held())));
                    assertThat(s.holds()).containsExactlyInAnyOrderElementsOf(a.holds().values().stream()
                            .map(h -> new StoredHold(h.holdId(), h.bucket(), h.amount(), h.expiresAt())).toList());
                }
                // A position resumes just after its account.
                StoredAccount middle = seen.get(seen.size() / 2);
                AccountAudit.Page resumed = audit.accounts(Optional.of(middle.position()), 100);
                assertThat(resumed.accounts()).extracting(StoredAccount::id).doesNotContain(middle.id())
                        .hasSize(seen.size() - seen.indexOf(middle) - 1);
            }
            assertThat(audit.account(AccountId.of("nobody"))).isEmpty();
        }
    }

    @Test
    default void aPositionThisStoreNeverGave_isAnInvalidCursor() {
        try (Fresh f = fresh()) {
            assertThatThrownBy(() -> f.stores().audit().accounts(Optional.of("a\nb\nc"), 10))
                    .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("cursor"));
        }
    }

    @Test
    default void ledgerTotals_sumEveryPartPerBucket_andSayWhenTheBoundStoppedThem() {
        try (Fresh f = fresh()) {
            Account a = created(f.wallet(), f.samples(), "sums", 20);
            a = applied(f.wallet(), f.samples().debit(a, 3));
            a = applied(f.wallet(), f.samples().hold(a, f.samples().holdId(), 4, f.samples().now().plusSeconds(60)));
            created(f.wallet(), f.samples(), "sums-other", 7);

            AccountAudit.LedgerTotals totals = f.stores().audit().ledgerTotals(a.id(), 100);
            assertThat(totals.complete()).isTrue();
            assertThat(totals.entriesRead()).isEqualTo(3);
            assertThat(totals.of("credits")).isEqualTo(new Parts(0, 17, 4));
            assertThat(totals.of("mockup")).isEqualTo(Parts.ZERO);

            AccountAudit.LedgerTotals bounded = f.stores().audit().ledgerTotals(a.id(), 2);
            assertThat(bounded.complete()).isFalse();
            assertThat(bounded.entriesRead()).isEqualTo(3);
            assertThat(f.stores().audit().ledgerTotals(AccountId.of("nobody"), 10))
                    .isEqualTo(new AccountAudit.LedgerTotals(Map.of(), 0, true));
        }
    }
}
