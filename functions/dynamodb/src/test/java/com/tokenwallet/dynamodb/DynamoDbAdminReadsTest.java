package com.tokenwallet.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.TransactionIds;
import com.tokenwallet.domain.port.AccountAudit;
import com.tokenwallet.domain.port.AccountAudit.Parts;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The admin's reads: e-mail lookup through the index, and the health report's raw reads. */
class DynamoDbAdminReadsTest {
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
    private final TransactionIds ids = new TransactionIds(Clock.fixed(NOW, ZoneOffset.UTC));
    private DynamoDbClient client;
    private String table;
    private DynamoDbWalletStore store;
    private DynamoDbAdminReads reads;

    /** The DynamoDB these tests run on; {@link LocalStackDynamoDbTest} runs them on LocalStack. */
    DynamoDbUnderTest dynamoDb() {
        return DynamoDbUnderTest.fake();
    }

    @BeforeEach
    void freshTable() {
        DynamoDbUnderTest db = dynamoDb();
        table = db.createWalletTable();
        client = db.client();
        store = new DynamoDbWalletStore(client, table, Clock.fixed(NOW, ZoneOffset.UTC));
        reads = new DynamoDbAdminReads(client, table);
    }

    @Test
    void accountsAreFoundByTheirNormalizedAddress_throughTheIndex() {
        create("ada", "Ada.Lovelace@Example.COM", 10);
        create("ada-2", "ada.lovelace@example.com", 10);
        create("bob", "bob@example.com", 10);
        create("anon", null, 10);

        assertThat(reads.accountsByEmail("ada.lovelace@example.com", 10)).extracting(AccountId::value)
                .containsExactlyInAnyOrder("ada", "ada-2");
        assertThat(reads.accountsByEmail("ada.lovelace@example.com", 1)).hasSize(1);
        assertThat(reads.accountsByEmail("nobody@example.com", 10)).isEmpty();
        assertThat(rawAccount("anon")).doesNotContainKey(WalletTable.EMAIL_NORMALIZED);
    }

    @Test
    void theAuditScanSeesOnlyAccounts_pageByPage_andResumesFromAPosition() {
        for (int i = 0; i < 12; i++) {
            create(String.format("acct-%02d", i), null, 5);
        }
        List<String> seen = new ArrayList<>();
        Optional<String> position = Optional.empty();
        for (int page = 0; page < 100; page++) {
            AccountAudit.Page p = reads.accounts(position, 5);
            p.accounts().forEach(a -> seen.add(a.id().value()));
            assertThat(p.itemsRead()).isLessThanOrEqualTo(5);
            position = p.next();
            if (position.isEmpty()) {
                break;
            }
        }
        assertThat(seen).hasSize(12).doesNotHaveDuplicates().allMatch(id -> id.startsWith("acct-"));
        assertThat(reads.accounts(Optional.of(reads.accounts(Optional.empty(), 100).accounts().getFirst().position()), 100).accounts())
                .hasSize(11);
    }

    @Test
    void ledgerTotalsSumEveryPart_andSayWhenTheBoundCutThemShort() {
        create("ada", null, 10);
        AccountId ada = AccountId.of("ada");
        Account v1 = store.findAccount(ada).orElseThrow();
        Account v2 = v1.debit("credits", 3).after();
        store.write(new com.tokenwallet.domain.port.WalletStore.AccountWrite(v1, v2,
                List.of(new LedgerEntry(ids.next(), ada, EntryType.DEBIT, "credits", -3, 0, -3, null, null, "d", null, NOW)), Optional.empty()));

        AccountAudit.LedgerTotals totals = reads.ledgerTotals(ada, 100);
        assertThat(totals.complete()).isTrue();
        assertThat(totals.entriesRead()).isEqualTo(2);
        assertThat(totals.of("credits")).isEqualTo(new Parts(0, 7, 0));
        assertThat(reads.ledgerTotals(ada, 1).complete()).isFalse();
        assertThat(reads.account(ada)).get().satisfies(a -> {
            assertThat(a.version()).isEqualTo(2);
            assertThat(a.buckets()).containsEntry("credits", new Parts(0, 7, 0));
        });
    }

    @Test
    void aCorruptedItemIsReadAsItIs_orReportedAsUnreadable_neverThrown() {
        create("ada", null, 10);
        Map<String, AttributeValue> bad = new HashMap<>(rawAccount("ada"));
        bad.put("buckets", AttributeValue.fromM(Map.of("credits", AttributeValue.fromM(Map.of(
                "allowance", Items.n(0), "purchased", Items.n(-5), "held", Items.n(0))))));
        client.putItem(b -> b.tableName(table).item(bad));
        Map<String, AttributeValue> worse = new HashMap<>(rawAccount("ada"));
        worse.put(WalletTable.PK, Items.s("ACCOUNT#eve"));
        worse.remove("version");
        client.putItem(b -> b.tableName(table).item(worse));

        assertThat(reads.account(AccountId.of("ada"))).get().extracting(a -> a.buckets().get("credits")).isEqualTo(new Parts(0, -5, 0));
        assertThat(reads.account(AccountId.of("eve"))).get().satisfies(a -> assertThat(a.problem()).isPresent());
        assertThat(reads.accounts(Optional.empty(), 100).accounts()).hasSize(2);
    }

    @Test
    void aPositionNotWrittenByThisClassIsAnInvalidCursor() {
        for (String bad : List.of("no-newline", "a\nb\nc", "\nSK", "PK\n", "PK\u0000\nSK", "x".repeat(3000) + "\ny")) {
            assertThatThrownBy(() -> reads.accounts(Optional.of(bad), 10)).isInstanceOf(InvalidRequestException.class)
                    .hasFieldOrPropertyWithValue("field", "cursor");
        }
    }

    private void create(String id, String email, long purchased) {
        Account account = new Account(AccountId.of(id), email, "free", Period.calendarMonthOf(NOW),
                Map.of("credits", new BucketBalance(0, purchased, 0)), NOW, 1);
        store.create(account, List.of(new LedgerEntry(ids.next(), AccountId.of(id), EntryType.SIGNUP_GRANT, "credits", purchased,
                0, purchased, null, null, "signup", null, NOW)));
    }

    private Map<String, AttributeValue> rawAccount(String id) {
        return client.getItem(b -> b.tableName(table).key(Items.accountKey(AccountId.of(id))).consistentRead(true)).item();
    }
}
