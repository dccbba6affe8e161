package com.tokenwallet.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.LedgerExport;
import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestClock;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.command.CreateAccountCommand;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.ledger.EntryType;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.ledger.TransactionIds;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.service.WalletService;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code GET /v1/accounts/{id}/transactions/export} (issue 17): the ledger of a range as CSV (read back with Commons
 * CSV's RFC 4180 parser) or JSON Lines, oldest first, every entry exactly once across ranges that meet; bounded;
 * hostile query strings answer 400 naming the parameter and change nothing.
 */
class TransactionsExportTest {
    private static final String PAT = "pat";
    private static final Instant START = Instant.parse("2026-11-01T08:00:00Z");
    private final TestClock clock = new TestClock(START);
    private final TestWallet wallet = new TestWallet(clock);
    private final CheckHandler check = wallet.handler(CheckHandler::new);
    private final TransactionIds ids = new TransactionIds(clock);

    @AfterEach
    void close() {
        wallet.close();
    }

    private void open() {
        wallet.context.getBean(WalletService.class).open(new CreateAccountCommand(AccountId.of(PAT), Optional.empty()));
    }

    /** Appends an entry made now (by the test clock) to pat's ledger, as a write of the account would. */
    private LedgerEntry append(EntryType type, long amount, String operation, String description, String metadataJson) {
        Account account = wallet.store.findAccount(AccountId.of(PAT)).orElseThrow();
        LedgerEntry e = new LedgerEntry(ids.next(), account.id(), type, "credits", amount, 0, amount, operation, null, description,
                metadataJson, clock.instant());
        assertThat(wallet.store.write(new WalletStore.AccountWrite(account, account, List.of(e), Optional.empty())))
                .isInstanceOf(WalletStore.WriteResult.Applied.class);
        return e;
    }

    private APIGatewayV2HTTPResponse export(String caller, String scope, Map<String, String> query) {
        ApiEvents event = ApiEvents.route(CheckHandler.EXPORT).account(PAT).caller(caller, scope);
        query.forEach(event::query);
        return TestWallet.call(check, event.build());
    }

    private static List<CSVRecord> csv(String body) throws IOException {
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(false).get().parse(new StringReader(body)).getRecords();
    }

    @Test
    void csv_hasAHeaderRow_theColumnsInTheirOrder_andQuotesWhatRfc4180Says() throws IOException {
        open();
        clock.advance(Duration.ofHours(1));
        append(EntryType.DEBIT, -5, "text_interview", "a \"quoted\", comma\r\nand two lines", "{\"job\":\"42,a\"}");
        clock.advance(Duration.ofHours(1));
        append(EntryType.REFUND, 2, null, "plain", null);

        APIGatewayV2HTTPResponse response = export(PAT, "wallet:read", Map.of("from", "2026-11-01", "to", "2026-11-02", "format", "csv"));

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "text/csv")
                .containsEntry("Content-Disposition", "attachment; filename=\"pat-transactions.csv\"");
        String body = response.getBody();
        assertThat(body).startsWith(String.join(",", LedgerExport.COLUMNS) + "\r\n").endsWith("\r\n");
        assertThat(LedgerExport.COLUMNS).containsExactly("transactionId", "createdAt", "type", "bucket", "amount", "allowanceDelta",
                "purchasedDelta", "heldDelta", "operation", "reference", "description", "metadata", "allowanceAfter", "purchasedAfter",
                "heldAfter", "debtAfter");
        assertThat(body).contains(",\"a \"\"quoted\"\", comma\r\nand two lines\",\"{\"\"job\"\":\"\"42,a\"\"}\",0,10,0,0\r\n");
        List<CSVRecord> rows = csv(body);
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).get("type")).isEqualTo("signup_grant");
        assertThat(rows.get(0).get("createdAt")).isEqualTo("2026-11-01T08:00:00Z");
        // Every write stamps its entries with the balances after them (the appends here change no bucket).
        assertThat(rows.get(0).toMap()).containsEntry("allowanceAfter", "0").containsEntry("purchasedAfter", "10")
                .containsEntry("heldAfter", "0").containsEntry("debtAfter", "0");
        assertThat(rows.get(1).toMap()).containsEntry("purchasedAfter", "10").containsEntry("debtAfter", "0");
        assertThat(rows.get(1).toMap()).containsEntry("type", "debit").containsEntry("amount", "-5").containsEntry("operation", "text_interview")
                .containsEntry("description", "a \"quoted\", comma\r\nand two lines").containsEntry("metadata", "{\"job\":\"42,a\"}")
                .containsEntry("reference", "").containsEntry("heldDelta", "0");
        assertThat(rows.get(2).toMap()).containsEntry("type", "refund").containsEntry("amount", "2").containsEntry("operation", "")
                .containsEntry("metadata", "");
    }

    @Test
    void csv_showsTheBucketsPartsAfterEachEntry_debtAsItsOwnColumn() throws IOException {
        open();
        clock.advance(Duration.ofHours(1));
        Account account = wallet.store.findAccount(AccountId.of(PAT)).orElseThrow();
        // A debit on credit: purchased 10 -> -4 (a debt of 4 within a credit limit of 10).
        Account after = account.withBucket("credits", new BucketBalance(0, -4, 0, List.of(), 10));
        LedgerEntry onCredit = new LedgerEntry(ids.next(), account.id(), EntryType.DEBIT, "credits", -14, 0, -14, "ai_chat", null, null,
                null, clock.instant());
        assertThat(wallet.store.write(new WalletStore.AccountWrite(account, after, List.of(onCredit), Optional.empty())))
                .isInstanceOf(WalletStore.WriteResult.Applied.class);

        List<CSVRecord> rows = csv(export(PAT, "wallet:read", Map.of("from", "2026-11-01", "to", "2026-11-02")).getBody());

        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).toMap()).containsEntry("type", "debit").containsEntry("bucket", "credits").containsEntry("amount", "-14")
                .containsEntry("allowanceAfter", "0").containsEntry("purchasedAfter", "0").containsEntry("heldAfter", "0")
                .containsEntry("debtAfter", "4");
        // The same figures as the JSON rendering of the entry.
        Map<String, Object> json = StrictJson.object(export(PAT, "wallet:read", Map.of("from", "2026-11-01", "to", "2026-11-02",
                "format", "jsonl")).getBody().split("\n")[1]);
        assertThat(json).containsEntry("allowanceAfter", 0).containsEntry("purchasedAfter", 0).containsEntry("heldAfter", 0)
                .containsEntry("debtAfter", 4);
    }

    @Test
    void jsonLines_holdOneTransactionPerLine_asTheHistoryRendersIt() throws IOException {
        open();
        clock.advance(Duration.ofMinutes(5));
        append(EntryType.DEBIT, -1, "ai_chat", "line\nbreak", "{\"k\":\"v\"}");

        APIGatewayV2HTTPResponse response = export("backend", "wallet:charge", Map.of("from", "2026-11-01T00:00:00Z", "to",
                "2026-11-01T09:10:00+01:00", "format", "jsonl"));

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/x-ndjson");
        String[] lines = response.getBody().split("\n", -1);
        assertThat(lines).hasSize(3);
        assertThat(lines[2]).isEmpty();
        assertThat(StrictJson.object(lines[0])).containsEntry("type", "signup_grant").containsEntry("amount", 10);
        assertThat(StrictJson.object(lines[1])).containsEntry("type", "debit").containsEntry("operation", "ai_chat")
                .containsEntry("description", "line\nbreak").containsEntry("metadata", Map.of("k", "v"));
    }

    @Test
    void rangesThatMeet_holdEveryEntryExactlyOnce_evenAnEntryMadeAtTheBoundary() throws IOException {
        open();
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            clock.advance(Duration.ofMinutes(60));
            made.add(append(EntryType.DEBIT, -1, "ai_chat", null, null).transactionId());
        }
        clock.set("2026-11-02T00:00:00Z");
        made.add(append(EntryType.DEBIT, -1, "ai_chat", "at the boundary", null).transactionId());
        clock.advance(Duration.ofMillis(1));
        made.add(append(EntryType.DEBIT, -1, "ai_chat", null, null).transactionId());
        for (int i = 0; i < 15; i++) {
            clock.advance(Duration.ofMinutes(97));
            made.add(append(EntryType.DEBIT, -1, "ai_chat", null, null).transactionId());
        }

        List<String> exported = new ArrayList<>();
        for (String[] range : List.of(new String[] {"2026-11-01", "2026-11-02"}, new String[] {"2026-11-02", "2026-11-03T10:00:00Z"},
                new String[] {"2026-11-03T10:00:00Z", "2026-11-05"})) {
            APIGatewayV2HTTPResponse response = export(PAT, "wallet:read", Map.of("from", range[0], "to", range[1]));
            assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
            csv(response.getBody()).forEach(r -> exported.add(r.get("transactionId")));
        }

        assertThat(exported).doesNotHaveDuplicates().hasSize(made.size() + 1).containsSubsequence(made).isSorted();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "format|xml", "format|CSV", "format|'csv '", "format|csv,jsonl", "from|yesterday", "from|2026-13-01", "from|2026-02-30",
            "from|2026-11-01T00:00:00", "from|2026-11-01 00:00:00Z", "from|+999999999-01-01T00:00:00Z", "from|1969-12-31",
            "from|2026-11-01T00:00:00Z' OR '1'='1", "to|2026-11-01", "to|2026-10-31", "to|2027-02-02",
            "to|" + "2026-11-01T00:00:00.0000000000000000000Z"})
    void hostileOrOutOfRangeQueries_answer400NamingTheParameter(String name, String value) {
        open();
        Map<String, String> query = new java.util.HashMap<>(Map.of("from", "2026-11-01", "to", "2026-11-02", "format", "csv"));
        query.put(name, value);
        List<Map<String, Object>> before = wallet.items();

        APIGatewayV2HTTPResponse response = export(PAT, "wallet:read", query);

        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(400);
        assertThat(TestWallet.body(response)).containsEntry("code", "invalid_request").containsEntry("field", name);
        assertThat(wallet.items()).containsExactlyInAnyOrderElementsOf(before);
    }

    @Test
    void missingTimes_answer400_andAnUnknownAccount404() {
        open();
        assertThat(TestWallet.body(export(PAT, "wallet:read", Map.of("to", "2026-11-02")))).containsEntry("field", "from");
        assertThat(TestWallet.body(export(PAT, "wallet:read", Map.of("from", "2026-11-02")))).containsEntry("field", "to");
        APIGatewayV2HTTPResponse unknown = TestWallet.call(check, ApiEvents.route(CheckHandler.EXPORT).account("nobody")
                .caller("backend", "wallet:charge").query("from", "2026-11-01").query("to", "2026-11-02").build());
        assertThat(unknown.getStatusCode()).isEqualTo(404);
        assertThat(TestWallet.body(unknown)).containsEntry("code", "account_not_found");
    }

    @Test
    void aRangeOfExactly92Days_isRead_andTheDefaultFormatIsCsv() {
        open();
        APIGatewayV2HTTPResponse response = export(PAT, "wallet:read", Map.of("from", "2026-10-01", "to", "2027-01-01"));
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "text/csv");
    }

    @Test
    void aRangeHoldingMoreThan10000Entries_answers400OnTo_andASplitOneIsRead() {
        open();
        // 10,050 entries through one SQL batch: the export's bound, not the test's patience, is what is tested.
        Account account = wallet.store.findAccount(AccountId.of(PAT)).orElseThrow();
        List<LedgerEntry> many = new ArrayList<>();
        for (int i = 0; i < 10_050; i++) {
            if (i == 5_000) {
                clock.set("2026-11-01T12:00:00Z");
            }
            many.add(new LedgerEntry(ids.next(), account.id(), EntryType.DEBIT, "credits", 0, 0, 0, "ai_chat", null, null, null,
                    clock.instant()));
        }
        for (int from = 0; from < many.size(); from += 90) {
            Account now = wallet.store.findAccount(AccountId.of(PAT)).orElseThrow();
            wallet.store.write(new WalletStore.AccountWrite(now, now, many.subList(from, Math.min(many.size(), from + 90)), Optional.empty()));
        }

        APIGatewayV2HTTPResponse tooMany = export(PAT, "wallet:read", Map.of("from", "2026-11-01", "to", "2026-11-02"));
        assertThat(tooMany.getStatusCode()).isEqualTo(400);
        assertThat(TestWallet.body(tooMany)).containsEntry("field", "to").extracting("detail").asString().contains("10000 entries");

        APIGatewayV2HTTPResponse morning = export(PAT, "wallet:read", Map.of("from", "2026-11-01", "to", "2026-11-01T12:00:00Z",
                "format", "jsonl"));
        assertThat(morning.getStatusCode()).isEqualTo(200);
        assertThat(morning.getBody().split("\n")).hasSize(5_001);
    }
}
