package com.tokenwallet.debit;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.ApiHandler;
import com.tokenwallet.api.ApiRequest;
import com.tokenwallet.api.ApiResponses;
import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.check.CheckHandler;
import com.tokenwallet.domain.Limits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A corpus of hostile requests against POST debits, POST holds, POST .../holds/{holdId}/capture, PUT account,
 * POST quotes and GET transactions (release and refunds: the refund module's RefundHostileInputTest). Every one is
 * refused with the exact 4xx status and problem code it deserves (SPEC 3.5), as application/problem+json with
 * type/title/status/detail/code (and the failing {@code field} for a 400), and none changes any item of the
 * table. No input may produce a 5xx.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTest {

    /** The account the hostile charges aim at: it exists and holds the signup grant (10 credits). */
    private static final String VICTIM = "victim";
    /** An account id that does not exist: a PUT that wrongly passed would create it. */
    private static final String NEWCOMER = "newcomer";
    private static final String BACKEND = "backend";
    private static final String CHARGE = "wallet:charge";
    private static final String VALID_AMOUNT_DEBIT = "{\"bucket\":\"credits\",\"amount\":1,\"description\":\"one token\"}";
    /** The account the hostile captures aim at: a pending hold of 4 credits, and a hold captured already. */
    private static final String HOLDER = "holder";
    private static final String HOLDER_HOLD_KEY = "holder-hold";
    private static final String HOLDER_CAPTURE_KEY = "holder-capture";
    private static final String UNKNOWN_HOLD = "hold_01J8ZQ5M3G7X2K4N6P8R0S2T4V";
    private static String pendingHold;
    private static String capturedHold;

    private TestWallet wallet;
    private DebitHandler debit;
    private CheckHandler check;
    private List<Map<String, Object>> initialItems;
    private Map<String, Object> initialBalance;

    /** One hostile request and the refusal it must get; {@code field} is asserted when not null. */
    record Case(String route, Supplier<ApiEvents> request, int status, String code, String field) {
        static Case of(String route, Supplier<ApiEvents> request, int status, String code, String field) {
            return new Case(route, request, status, code, field);
        }
    }

    @BeforeAll
    void startWallet() {
        wallet = new TestWallet();
        debit = wallet.handler(DebitHandler::new);
        check = wallet.handler(CheckHandler::new);
        var opened = TestWallet.call(debit, ApiEvents.route(DebitHandler.OPEN_ACCOUNT).account(VICTIM).caller(BACKEND, CHARGE).build());
        assertThat(opened.getStatusCode()).as(opened.getBody()).isEqualTo(201);
        initialBalance = balance();
        assertThat(initialBalance).extracting("buckets").extracting("credits").extracting("available").isEqualTo(10);
        var holder = TestWallet.call(debit, ApiEvents.route(DebitHandler.OPEN_ACCOUNT).account(HOLDER).caller(BACKEND, CHARGE).build());
        assertThat(holder.getStatusCode()).as(holder.getBody()).isEqualTo(201);
        pendingHold = holdOf(HOLDER_HOLD_KEY, 4);
        capturedHold = holdOf("holder-hold-2", 2);
        var captured = TestWallet.call(debit, ApiEvents.route(DebitHandler.CAPTURE).account(HOLDER).pathParameter("holdId", capturedHold)
                .caller(BACKEND, CHARGE).idempotencyKey(HOLDER_CAPTURE_KEY).json("{\"amount\":1}").build());
        assertThat(captured.getStatusCode()).as(captured.getBody()).isEqualTo(200);
        initialItems = wallet.items();
    }

    private String holdOf(String key, int amount) {
        var held = TestWallet.call(debit, ApiEvents.route(DebitHandler.HOLDS).account(HOLDER).caller(BACKEND, CHARGE).idempotencyKey(key)
                .json("{\"bucket\":\"credits\",\"amount\":" + amount + ",\"description\":\"render\",\"ttlSeconds\":3600}").build());
        assertThat(held.getStatusCode()).as(held.getBody()).isEqualTo(201);
        return (String) TestWallet.body(held).get("holdId");
    }

    @AfterAll
    void stopWallet() {
        if (wallet != null) {
            wallet.close();
        }
    }

    // ---------------------------------------------------------------- request builders

    private static String key() {
        return "hostile-" + UUID.randomUUID();
    }

    /** A charge-scoped debit of the victim with a fresh key and this JSON body. */
    private static Supplier<ApiEvents> debitJson(String json) {
        return () -> ApiEvents.route(DebitHandler.DEBITS).account(VICTIM).caller(BACKEND, CHARGE).idempotencyKey(key()).json(json);
    }

    private static Supplier<ApiEvents> debitWithKey(String idempotencyKey) {
        return () -> {
            ApiEvents e = ApiEvents.route(DebitHandler.DEBITS).account(VICTIM).caller(BACKEND, CHARGE);
            if (idempotencyKey != null) {
                e.idempotencyKey(idempotencyKey);
            }
            return e.json(VALID_AMOUNT_DEBIT);
        };
    }

    private static Supplier<ApiEvents> debitOnAccount(String accountId) {
        return () -> ApiEvents.route(DebitHandler.DEBITS).account(accountId).caller(BACKEND, CHARGE).idempotencyKey(key()).json(VALID_AMOUNT_DEBIT);
    }

    /** A debit with an explicit content type (null: no content-type header at all) and raw body. */
    private static Supplier<ApiEvents> debitRaw(String contentType, String body, boolean base64) {
        return () -> {
            ApiEvents e = ApiEvents.route(DebitHandler.DEBITS).account(VICTIM).caller(BACKEND, CHARGE).idempotencyKey(key());
            if (contentType != null) {
                e.header("content-type", contentType);
            }
            return e.rawBody(body, base64);
        };
    }

    private static Supplier<ApiEvents> debitBytes(byte[] bytes) {
        return debitRaw("application/json", Base64.getEncoder().encodeToString(bytes), true);
    }

    /** A charge-scoped hold on the victim with a fresh key and this JSON body. */
    private static Supplier<ApiEvents> holdJson(String json) {
        return () -> ApiEvents.route(DebitHandler.HOLDS).account(VICTIM).caller(BACKEND, CHARGE).idempotencyKey(key()).json(json);
    }

    private static Supplier<ApiEvents> holdRaw(String accountId, String contentType, String body, String idempotencyKey) {
        return () -> {
            ApiEvents e = ApiEvents.route(DebitHandler.HOLDS).account(accountId).caller(BACKEND, CHARGE);
            if (idempotencyKey != null) {
                e.idempotencyKey(idempotencyKey);
            }
            if (contentType != null) {
                e.header("content-type", contentType);
            }
            return e.rawBody(body, false);
        };
    }

    private static String holdWithTtl(String ttlJson) {
        return "{\"bucket\":\"credits\",\"amount\":1,\"description\":\"render\",\"ttlSeconds\":" + ttlJson + "}";
    }

    private static String holdOfAmount(String amountJson) {
        return "{\"bucket\":\"credits\",\"amount\":" + amountJson + ",\"description\":\"render\",\"ttlSeconds\":60}";
    }

    /** A capture of the holder's hold (read when the case runs) with a fresh key and this JSON body (null: none). */
    private static Supplier<ApiEvents> captureJson(Supplier<String> holdId, String json) {
        return captureOn(HOLDER, holdId, json);
    }

    private static Supplier<ApiEvents> captureOn(String accountId, Supplier<String> holdId, String json) {
        return () -> {
            ApiEvents e = ApiEvents.route(DebitHandler.CAPTURE).account(accountId).pathParameter("holdId", holdId.get())
                    .caller(BACKEND, CHARGE).idempotencyKey(key());
            return json == null ? e : e.json(json);
        };
    }

    private static Supplier<ApiEvents> capturePending(String json) {
        return captureJson(() -> pendingHold, json);
    }

    private static Supplier<ApiEvents> captureOfId(String holdId) {
        return captureJson(() -> holdId, null);
    }

    private static Supplier<ApiEvents> captureRaw(String contentType, String body, String idempotencyKey) {
        return () -> {
            ApiEvents e = ApiEvents.route(DebitHandler.CAPTURE).account(HOLDER).pathParameter("holdId", pendingHold).caller(BACKEND, CHARGE);
            if (idempotencyKey != null) {
                e.idempotencyKey(idempotencyKey);
            }
            if (contentType != null) {
                e.header("content-type", contentType);
            }
            return e.rawBody(body, false);
        };
    }

    private static Supplier<ApiEvents> openJson(String json) {
        return () -> ApiEvents.route(DebitHandler.OPEN_ACCOUNT).account(NEWCOMER).caller(BACKEND, CHARGE).json(json);
    }

    private static Supplier<ApiEvents> openRaw(String accountId, String contentType, String body) {
        return () -> {
            ApiEvents e = ApiEvents.route(DebitHandler.OPEN_ACCOUNT).account(accountId).caller(BACKEND, CHARGE);
            if (contentType != null) {
                e.header("content-type", contentType);
            }
            return e.rawBody(body, false);
        };
    }

    private static Supplier<ApiEvents> quoteJson(String accountId, String json) {
        return () -> ApiEvents.route(CheckHandler.QUOTES).account(accountId).caller(BACKEND, CHARGE).json(json);
    }

    private static Supplier<ApiEvents> quoteRaw(String contentType, String body) {
        return () -> {
            ApiEvents e = ApiEvents.route(CheckHandler.QUOTES).account(VICTIM).caller(BACKEND, CHARGE);
            if (contentType != null) {
                e.header("content-type", contentType);
            }
            return e.rawBody(body, false);
        };
    }

    /** GET transactions of {@code accountId} with query parameters as name/value pairs. */
    private static Supplier<ApiEvents> transactions(String accountId, String... query) {
        return () -> {
            ApiEvents e = ApiEvents.route(CheckHandler.TRANSACTIONS).account(accountId).caller(BACKEND, CHARGE);
            for (int i = 0; i < query.length; i += 2) {
                e.query(query[i], query[i + 1]);
            }
            return e;
        };
    }

    private static String cursorOf(String decoded) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(decoded.getBytes(StandardCharsets.UTF_8));
    }

    private static String metadataDebit(String metadataJson) {
        return "{\"operation\":\"ai_chat\",\"metadata\":" + metadataJson + "}";
    }

    private static String videoDebit(String paramsJson) {
        return "{\"operation\":\"video_generation\",\"params\":" + paramsJson + "}";
    }

    private static String amountDebit(String amountJson) {
        return "{\"bucket\":\"credits\",\"amount\":" + amountJson + ",\"description\":\"hostile\"}";
    }

    private static String objectOf(int keys, IntFunction<String> value) {
        return IntStream.range(0, keys).mapToObj(i -> "\"k" + i + "\":" + value.apply(i)).collect(Collectors.joining(",", "{", "}"));
    }

    // ---------------------------------------------------------------- the corpus

    private static final String DEBITS = DebitHandler.DEBITS;
    private static final String HOLDS = DebitHandler.HOLDS;
    private static final String CAPTURE = DebitHandler.CAPTURE;
    private static final String OPEN = DebitHandler.OPEN_ACCOUNT;
    private static final String QUOTES = CheckHandler.QUOTES;
    private static final String TX = CheckHandler.TRANSACTIONS;
    private static final String INVALID = "invalid_request";

    static Stream<Named<Case>> cases() {
        List<Named<Case>> c = new ArrayList<>();
        String longAccount = "a".repeat(129);
        String bigAscii = "{\"bucket\":\"credits\",\"amount\":1,\"description\":\"" + "x".repeat(ApiRequest.MAX_BODY_BYTES) + "\"}";

        // --- POST debits: the JSON itself
        add(c, "debits: malformed JSON (truncated)", DEBITS, debitJson("{\"operation\":"), 400, INVALID, "body");
        add(c, "debits: top-level array", DEBITS, debitJson("[{\"operation\":\"ai_chat\"}]"), 400, INVALID, "body");
        add(c, "debits: top-level string", DEBITS, debitJson("\"ai_chat\""), 400, INVALID, "body");
        add(c, "debits: top-level null", DEBITS, debitJson("null"), 400, INVALID, "body");
        add(c, "debits: top-level number", DEBITS, debitJson("1"), 400, INVALID, "body");
        add(c, "debits: top-level true", DEBITS, debitJson("true"), 400, INVALID, "body");
        add(c, "debits: empty body", DEBITS, debitJson(""), 400, INVALID, "body");
        add(c, "debits: whitespace-only body", DEBITS, debitJson(" \r\n\t "), 400, INVALID, "body");
        add(c, "debits: duplicate key (amount 1 then 1000)", DEBITS,
                debitJson("{\"bucket\":\"credits\",\"amount\":1,\"amount\":1000,\"description\":\"dup\"}"), 400, INVALID, "body");
        add(c, "debits: duplicate key (operation)", DEBITS,
                debitJson("{\"operation\":\"ai_chat\",\"operation\":\"voice_interview\"}"), 400, INVALID, "body");
        add(c, "debits: JavaScript comment", DEBITS, debitJson("{/* c */\"operation\":\"ai_chat\"}"), 400, INVALID, "body");
        add(c, "debits: single-quoted strings", DEBITS, debitJson("{'operation':'ai_chat'}"), 400, INVALID, "body");
        add(c, "debits: unquoted key", DEBITS, debitJson("{operation:\"ai_chat\"}"), 400, INVALID, "body");
        add(c, "debits: trailing comma", DEBITS, debitJson("{\"operation\":\"ai_chat\",}"), 400, INVALID, "body");
        add(c, "debits: byte order mark before the object", DEBITS, debitJson("\uFEFF" + VALID_AMOUNT_DEBIT), 400, INVALID, "body");
        add(c, "debits: 10000 nested arrays", DEBITS, debitJson("[".repeat(10_000)), 400, INVALID, "body");
        add(c, "debits: 10000 nested objects", DEBITS, debitJson("{\"a\":".repeat(10_000)), 400, INVALID, "body");
        add(c, "debits: 40 nested objects in metadata", DEBITS,
                debitJson(metadataDebit("{\"a\":".repeat(40) + "1" + "}".repeat(40))), 400, INVALID, "body");

        // --- POST debits: shape of the charge
        add(c, "debits: empty object", DEBITS, debitJson("{}"), 400, INVALID, "operation");
        add(c, "debits: description only", DEBITS, debitJson("{\"description\":\"free lunch\"}"), 400, INVALID, "operation");
        add(c, "debits: operation and amount mixed", DEBITS, debitJson("{\"operation\":\"ai_chat\",\"amount\":0}"), 400, INVALID, "amount");
        add(c, "debits: unknown field next to an amount", DEBITS,
                debitJson("{\"bucket\":\"credits\",\"amount\":1,\"description\":\"x\",\"accountId\":\"someone-else\"}"), 400, INVALID, "accountId");
        add(c, "debits: unknown field with a 1000-character name", DEBITS,
                debitJson("{\"operation\":\"ai_chat\",\"" + "z".repeat(1000) + "\":1}"), 400, INVALID, "z".repeat(64));
        add(c, "debits: operation is a number", DEBITS, debitJson("{\"operation\":5}"), 400, INVALID, "operation");
        add(c, "debits: operation is null", DEBITS, debitJson("{\"operation\":null}"), 400, INVALID, "operation");
        add(c, "debits: operation is an object", DEBITS, debitJson("{\"operation\":{\"name\":\"ai_chat\"}}"), 400, INVALID, "operation");
        add(c, "debits: operation is empty", DEBITS, debitJson("{\"operation\":\"\"}"), 400, INVALID, "operation");
        add(c, "debits: operation of 65 characters", DEBITS, debitJson("{\"operation\":\"" + "a".repeat(65) + "\"}"), 400, INVALID, "operation");
        add(c, "debits: unknown operation", DEBITS, debitJson("{\"operation\":\"free_tokens\"}"), 400, INVALID, "operation");
        add(c, "debits: operation with a NUL character", DEBITS, debitJson("{\"operation\":\"ai_chat\\u0000\"}"), 400, INVALID, "operation");
        add(c, "debits: operation in another case", DEBITS, debitJson("{\"operation\":\"AI_CHAT\"}"), 400, INVALID, "operation");

        // --- POST debits: the amount
        add(c, "debits: amount 0", DEBITS, debitJson(amountDebit("0")), 400, INVALID, "amount");
        add(c, "debits: amount -0", DEBITS, debitJson(amountDebit("-0")), 400, INVALID, "amount");
        add(c, "debits: amount negative", DEBITS, debitJson(amountDebit("-5")), 400, INVALID, "amount");
        add(c, "debits: amount Long.MIN_VALUE", DEBITS, debitJson(amountDebit(String.valueOf(Long.MIN_VALUE))), 400, INVALID, "amount");
        add(c, "debits: amount fractional 1.5", DEBITS, debitJson(amountDebit("1.5")), 400, INVALID, "amount");
        add(c, "debits: amount 1.0", DEBITS, debitJson(amountDebit("1.0")), 400, INVALID, "amount");
        add(c, "debits: amount 1e3", DEBITS, debitJson(amountDebit("1e3")), 400, INVALID, "amount");
        add(c, "debits: amount 1E-400 (underflow)", DEBITS, debitJson(amountDebit("1E-400")), 400, INVALID, "amount");
        add(c, "debits: amount beyond 64 bits", DEBITS, debitJson(amountDebit("99999999999999999999")), 400, INVALID, "amount");
        add(c, "debits: amount Long.MAX_VALUE", DEBITS, debitJson(amountDebit(String.valueOf(Long.MAX_VALUE))), 400, INVALID, "amount");
        add(c, "debits: amount Limits.MAX_AMOUNT_TOKENS + 1", DEBITS,
                debitJson(amountDebit(String.valueOf(Limits.MAX_AMOUNT_TOKENS + 1))), 400, INVALID, "amount");
        add(c, "debits: amount with 65 digits", DEBITS, debitJson(amountDebit("1".repeat(65))), 400, INVALID, "body");
        add(c, "debits: amount as a string", DEBITS, debitJson(amountDebit("\"5\"")), 400, INVALID, "amount");
        add(c, "debits: amount as a boolean", DEBITS, debitJson(amountDebit("true")), 400, INVALID, "amount");
        add(c, "debits: amount as an array", DEBITS, debitJson(amountDebit("[1]")), 400, INVALID, "amount");
        add(c, "debits: amount null", DEBITS, debitJson(amountDebit("null")), 400, INVALID, "amount");
        add(c, "debits: amount missing", DEBITS, debitJson("{\"bucket\":\"credits\",\"description\":\"x\"}"), 400, INVALID, "amount");
        add(c, "debits: amount NaN", DEBITS, debitJson(amountDebit("NaN")), 400, INVALID, "body");
        add(c, "debits: amount Infinity", DEBITS, debitJson(amountDebit("Infinity")), 400, INVALID, "body");
        add(c, "debits: amount -Infinity", DEBITS, debitJson(amountDebit("-Infinity")), 400, INVALID, "body");
        add(c, "debits: amount with leading zeros", DEBITS, debitJson(amountDebit("007")), 400, INVALID, "body");
        add(c, "debits: amount in hex", DEBITS, debitJson(amountDebit("0x10")), 400, INVALID, "body");
        add(c, "debits: amount with a plus sign", DEBITS, debitJson(amountDebit("+1")), 400, INVALID, "body");
        // Valid in form but beyond the victim's 10 credits: refused for balance, changes nothing.
        add(c, "debits: amount Limits.MAX_AMOUNT_TOKENS (insufficient)", DEBITS,
                debitJson(amountDebit(String.valueOf(Limits.MAX_AMOUNT_TOKENS))), 402, "insufficient_tokens", null);
        add(c, "debits: 120 min 1080p video (insufficient)", DEBITS,
                debitJson(videoDebit("{\"durationMinutes\":120,\"resolution\":\"1080p\"}")), 402, "insufficient_tokens", null);

        // --- POST debits: bucket and description
        add(c, "debits: unknown bucket", DEBITS, debitJson("{\"bucket\":\"gold\",\"amount\":1,\"description\":\"x\"}"), 400, INVALID, "bucket");
        add(c, "debits: bucket of 65 characters", DEBITS,
                debitJson("{\"bucket\":\"" + "c".repeat(65) + "\",\"amount\":1,\"description\":\"x\"}"), 400, INVALID, "bucket");
        add(c, "debits: bucket in upper case", DEBITS, debitJson("{\"bucket\":\"CREDITS\",\"amount\":1,\"description\":\"x\"}"), 400, INVALID, "bucket");
        add(c, "debits: bucket is an array", DEBITS, debitJson("{\"bucket\":[\"credits\"],\"amount\":1,\"description\":\"x\"}"), 400, INVALID, "bucket");
        add(c, "debits: bucket missing", DEBITS, debitJson("{\"amount\":1,\"description\":\"x\"}"), 400, INVALID, "bucket");
        add(c, "debits: description missing", DEBITS, debitJson("{\"bucket\":\"credits\",\"amount\":1}"), 400, INVALID, "description");
        add(c, "debits: description blank", DEBITS, debitJson("{\"bucket\":\"credits\",\"amount\":1,\"description\":\"   \"}"), 400, INVALID, "description");
        add(c, "debits: description of 257 characters", DEBITS,
                debitJson("{\"bucket\":\"credits\",\"amount\":1,\"description\":\"" + "d".repeat(Limits.MAX_DESCRIPTION_LENGTH + 1) + "\"}"), 400, INVALID, "description");
        add(c, "debits: description is a number", DEBITS, debitJson("{\"bucket\":\"credits\",\"amount\":1,\"description\":42}"), 400, INVALID, "description");

        // --- POST debits: params
        add(c, "debits: params is an array", DEBITS, debitJson("{\"operation\":\"ai_chat\",\"params\":[1]}"), 400, INVALID, "params");
        add(c, "debits: params is a string", DEBITS, debitJson("{\"operation\":\"video_generation\",\"params\":\"3min\"}"), 400, INVALID, "params");
        add(c, "debits: params on a fixed-cost operation", DEBITS, debitJson("{\"operation\":\"ai_chat\",\"params\":{\"discount\":1}}"), 400, INVALID, "params.discount");
        add(c, "debits: 17 params", DEBITS, debitJson(videoDebit(objectOf(Limits.MAX_PARAMS + 1, i -> "true"))), 400, INVALID, "params");
        add(c, "debits: durationMinutes 0", DEBITS, debitJson(videoDebit("{\"durationMinutes\":0,\"resolution\":\"720p\"}")), 400, INVALID, "params.durationMinutes");
        add(c, "debits: durationMinutes -3", DEBITS, debitJson(videoDebit("{\"durationMinutes\":-3,\"resolution\":\"720p\"}")), 400, INVALID, "params.durationMinutes");
        add(c, "debits: durationMinutes 121", DEBITS, debitJson(videoDebit("{\"durationMinutes\":121,\"resolution\":\"720p\"}")), 400, INVALID, "params.durationMinutes");
        add(c, "debits: durationMinutes 0.5", DEBITS, debitJson(videoDebit("{\"durationMinutes\":0.5,\"resolution\":\"720p\"}")), 400, INVALID, "params.durationMinutes");
        add(c, "debits: durationMinutes as a string", DEBITS, debitJson(videoDebit("{\"durationMinutes\":\"3\",\"resolution\":\"720p\"}")), 400, INVALID, "params.durationMinutes");
        add(c, "debits: durationMinutes beyond 64 bits", DEBITS,
                debitJson(videoDebit("{\"durationMinutes\":123456789012345678901234567890,\"resolution\":\"720p\"}")), 400, INVALID, "params.durationMinutes");
        add(c, "debits: unknown resolution", DEBITS, debitJson(videoDebit("{\"durationMinutes\":3,\"resolution\":\"4k\"}")), 400, INVALID, "params.resolution");
        add(c, "debits: resolution missing", DEBITS, debitJson(videoDebit("{\"durationMinutes\":3}")), 400, INVALID, "params.resolution");
        add(c, "debits: add-on not a boolean", DEBITS,
                debitJson(videoDebit("{\"durationMinutes\":1,\"resolution\":\"720p\",\"customMusic\":\"yes\"}")), 400, INVALID, "params.customMusic");
        add(c, "debits: unknown param", DEBITS, debitJson(videoDebit("{\"durationMinutes\":1,\"resolution\":\"720p\",\"fps\":60}")), 400, INVALID, "params.fps");

        // --- POST debits: metadata
        add(c, "debits: metadata is a string", DEBITS, debitJson(metadataDebit("\"order-1\"")), 400, INVALID, "metadata");
        add(c, "debits: metadata is an array", DEBITS, debitJson(metadataDebit("[\"order-1\"]")), 400, INVALID, "metadata");
        add(c, "debits: metadata is a number", DEBITS, debitJson(metadataDebit("7")), 400, INVALID, "metadata");
        add(c, "debits: metadata with 17 keys", DEBITS, debitJson(metadataDebit(objectOf(Limits.MAX_METADATA_KEYS + 1, i -> "1"))), 400, INVALID, "metadata");
        add(c, "debits: metadata value of 257 characters", DEBITS,
                debitJson(metadataDebit("{\"note\":\"" + "n".repeat(Limits.MAX_METADATA_VALUE_LENGTH + 1) + "\"}")), 400, INVALID, "metadata.note");
        add(c, "debits: metadata larger than 2048 bytes", DEBITS,
                debitJson(metadataDebit(objectOf(12, i -> "\"" + "v".repeat(200) + "\""))), 400, INVALID, "metadata");
        add(c, "debits: metadata nested object", DEBITS, debitJson(metadataDebit("{\"nested\":{\"a\":1}}")), 400, INVALID, "metadata.nested");
        add(c, "debits: metadata array value", DEBITS, debitJson(metadataDebit("{\"tags\":[\"a\"]}")), 400, INVALID, "metadata.tags");
        add(c, "debits: metadata fractional value", DEBITS, debitJson(metadataDebit("{\"ratio\":0.5}")), 400, INVALID, "metadata.ratio");
        add(c, "debits: metadata null value", DEBITS, debitJson(metadataDebit("{\"gone\":null}")), 400, INVALID, "metadata.gone");
        add(c, "debits: metadata key with a space", DEBITS, debitJson(metadataDebit("{\"a b\":1}")), 400, INVALID, "metadata");
        add(c, "debits: metadata empty key", DEBITS, debitJson(metadataDebit("{\"\":1}")), 400, INVALID, "metadata");
        add(c, "debits: metadata key of 65 characters", DEBITS, debitJson(metadataDebit("{\"" + "k".repeat(65) + "\":1}")), 400, INVALID, "metadata");

        // --- POST debits: the Idempotency-Key header
        add(c, "debits: Idempotency-Key missing", DEBITS, debitWithKey(null), 400, INVALID, "Idempotency-Key");
        add(c, "debits: Idempotency-Key empty", DEBITS, debitWithKey(""), 400, INVALID, "Idempotency-Key");
        add(c, "debits: Idempotency-Key of 256 characters", DEBITS, debitWithKey("k".repeat(Limits.MAX_IDEMPOTENCY_KEY_LENGTH + 1)), 400, INVALID, "Idempotency-Key");
        add(c, "debits: Idempotency-Key non-ASCII", DEBITS, debitWithKey("clé-1"), 400, INVALID, "Idempotency-Key");
        add(c, "debits: Idempotency-Key with a newline", DEBITS, debitWithKey("k1\nX-Injected: 1"), 400, INVALID, "Idempotency-Key");
        add(c, "debits: Idempotency-Key with a NUL", DEBITS, debitWithKey("k1\u0000"), 400, INVALID, "Idempotency-Key");
        add(c, "debits: Idempotency-Key with DEL", DEBITS, debitWithKey("k1\u007f"), 400, INVALID, "Idempotency-Key");
        add(c, "debits: Idempotency-Key with a tab", DEBITS, debitWithKey("k\t1"), 400, INVALID, "Idempotency-Key");

        // --- POST debits: the account id
        add(c, "debits: account id of 129 characters", DEBITS, debitOnAccount(longAccount), 400, INVALID, "accountId");
        add(c, "debits: account id with a slash", DEBITS, debitOnAccount("victim/../admin"), 400, INVALID, "accountId");
        add(c, "debits: account id percent-encoded", DEBITS, debitOnAccount("victim%2F..%2Fadmin"), 400, INVALID, "accountId");
        add(c, "debits: account id empty", DEBITS, debitOnAccount(""), 400, INVALID, "accountId");
        // Issue 19 item 8: URL dot-segments (API Gateway passes %2e%2e decoded) are no account ids.
        add(c, "debits: account id '.'", DEBITS, debitOnAccount("."), 400, INVALID, "accountId");
        add(c, "debits: account id '..' (also sent as %2e%2e)", DEBITS, debitOnAccount(".."), 400, INVALID, "accountId");
        add(c, "debits: account id of dots only", DEBITS, debitOnAccount("....."), 400, INVALID, "accountId");
        add(c, "debits: account id with a trailing newline", DEBITS, debitOnAccount(VICTIM + "\n"), 400, INVALID, "accountId");
        add(c, "debits: account id with a space", DEBITS, debitOnAccount("vic tim"), 400, INVALID, "accountId");
        add(c, "debits: account id with a Cyrillic homoglyph", DEBITS, debitOnAccount("v\u0456ctim"), 400, INVALID, "accountId");
        add(c, "debits: account id missing from the path", DEBITS,
                () -> ApiEvents.route(DEBITS).caller(BACKEND, CHARGE).idempotencyKey(key()).json(VALID_AMOUNT_DEBIT), 400, INVALID, "accountId");
        add(c, "debits: account that does not exist", DEBITS, debitOnAccount("ghost"), 404, "account_not_found", null);

        // --- POST debits: size, media type and encoding
        add(c, "debits: body over 64 KiB", DEBITS, debitJson(bigAscii), 413, "payload_too_large", null);
        add(c, "debits: body over 64 KiB in bytes, under in characters", DEBITS,
                debitJson("{\"bucket\":\"credits\",\"amount\":1,\"description\":\"" + "\u00e9".repeat(40_000) + "\"}"), 413, "payload_too_large", null);
        add(c, "debits: base64 body over 64 KiB", DEBITS, debitBytes(bigAscii.getBytes(StandardCharsets.UTF_8)), 413, "payload_too_large", null);
        add(c, "debits: content-type text/plain", DEBITS, debitRaw("text/plain", VALID_AMOUNT_DEBIT, false), 415, "unsupported_media_type", null);
        add(c, "debits: no content-type", DEBITS, debitRaw(null, VALID_AMOUNT_DEBIT, false), 415, "unsupported_media_type", null);
        add(c, "debits: form-encoded body", DEBITS,
                debitRaw("application/x-www-form-urlencoded", "bucket=credits&amount=1&description=x", false), 415, "unsupported_media_type", null);
        add(c, "debits: content-type application/jsonp", DEBITS, debitRaw("application/jsonp", VALID_AMOUNT_DEBIT, false), 415, "unsupported_media_type", null);
        add(c, "debits: content-type multipart", DEBITS, debitRaw("multipart/form-data; boundary=x", VALID_AMOUNT_DEBIT, false), 415, "unsupported_media_type", null);
        add(c, "debits: invalid base64", DEBITS, debitRaw("application/json", "eyJvcGVyYXRpb24iOi%%%", true), 400, INVALID, "body");
        add(c, "debits: non-UTF-8 bytes", DEBITS, debitBytes(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'}), 400, INVALID, "body");
        add(c, "debits: overlong UTF-8 encoding of '/'", DEBITS, debitBytes(new byte[] {'{', '"', (byte) 0xc0, (byte) 0xaf, '"', ':', '1', '}'}), 400, INVALID, "body");
        add(c, "debits: UTF-8-encoded lone surrogate", DEBITS, debitBytes(new byte[] {'{', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', ':', '1', '}'}), 400, INVALID, "body");
        add(c, "debits: route key the debit function does not serve", DEBITS,
                () -> ApiEvents.route("POST /v1/accounts/{accountId}/grants").account(VICTIM).caller(BACKEND, CHARGE).idempotencyKey(key())
                        .json("{\"bucket\":\"credits\",\"amount\":1000,\"reason\":\"x\"}"), 404, "route_not_found", null);

        // --- POST holds: the TTL
        add(c, "holds: ttlSeconds 0", HOLDS, holdJson(holdWithTtl("0")), 400, INVALID, "ttlSeconds");
        add(c, "holds: ttlSeconds -1", HOLDS, holdJson(holdWithTtl("-1")), 400, INVALID, "ttlSeconds");
        add(c, "holds: ttlSeconds 86401", HOLDS, holdJson(holdWithTtl("86401")), 400, INVALID, "ttlSeconds");
        add(c, "holds: ttlSeconds Long.MAX_VALUE", HOLDS, holdJson(holdWithTtl(String.valueOf(Long.MAX_VALUE))), 400, INVALID, "ttlSeconds");
        add(c, "holds: ttlSeconds beyond 64 bits", HOLDS, holdJson(holdWithTtl("99999999999999999999")), 400, INVALID, "ttlSeconds");
        add(c, "holds: ttlSeconds fractional", HOLDS, holdJson(holdWithTtl("1.5")), 400, INVALID, "ttlSeconds");
        add(c, "holds: ttlSeconds 900.0", HOLDS, holdJson(holdWithTtl("900.0")), 400, INVALID, "ttlSeconds");
        add(c, "holds: ttlSeconds 1e3", HOLDS, holdJson(holdWithTtl("1e3")), 400, INVALID, "ttlSeconds");
        add(c, "holds: ttlSeconds as a string", HOLDS, holdJson(holdWithTtl("\"900\"")), 400, INVALID, "ttlSeconds");
        add(c, "holds: ttlSeconds as a boolean", HOLDS, holdJson(holdWithTtl("true")), 400, INVALID, "ttlSeconds");
        add(c, "holds: ttlSeconds as an object", HOLDS, holdJson(holdWithTtl("{\"s\":900}")), 400, INVALID, "ttlSeconds");
        add(c, "holds: ttlSeconds with an operation, 0", HOLDS, holdJson("{\"operation\":\"ai_chat\",\"ttlSeconds\":0}"), 400, INVALID, "ttlSeconds");

        // --- POST holds: the charge
        add(c, "holds: amount 0", HOLDS, holdJson(holdOfAmount("0")), 400, INVALID, "amount");
        add(c, "holds: amount negative", HOLDS, holdJson(holdOfAmount("-4")), 400, INVALID, "amount");
        add(c, "holds: amount fractional", HOLDS, holdJson(holdOfAmount("2.5")), 400, INVALID, "amount");
        add(c, "holds: amount as a string", HOLDS, holdJson(holdOfAmount("\"2\"")), 400, INVALID, "amount");
        add(c, "holds: amount Limits.MAX_AMOUNT_TOKENS + 1", HOLDS, holdJson(holdOfAmount(String.valueOf(Limits.MAX_AMOUNT_TOKENS + 1))), 400, INVALID, "amount");
        add(c, "holds: amount missing", HOLDS, holdJson("{\"bucket\":\"credits\",\"description\":\"x\",\"ttlSeconds\":60}"), 400, INVALID, "amount");
        add(c, "holds: description missing", HOLDS, holdJson("{\"bucket\":\"credits\",\"amount\":1,\"ttlSeconds\":60}"), 400, INVALID, "description");
        add(c, "holds: unknown bucket", HOLDS, holdJson("{\"bucket\":\"gold\",\"amount\":1,\"description\":\"x\"}"), 400, INVALID, "bucket");
        add(c, "holds: unknown operation", HOLDS, holdJson("{\"operation\":\"free_tokens\"}"), 400, INVALID, "operation");
        add(c, "holds: operation and amount mixed", HOLDS, holdJson("{\"operation\":\"ai_chat\",\"amount\":1}"), 400, INVALID, "amount");
        add(c, "holds: empty object", HOLDS, holdJson("{}"), 400, INVALID, "operation");
        add(c, "holds: ttlSeconds alone", HOLDS, holdJson("{\"ttlSeconds\":60}"), 400, INVALID, "operation");
        add(c, "holds: durationMinutes 121", HOLDS, holdJson(videoDebit("{\"durationMinutes\":121,\"resolution\":\"720p\"}")), 400, INVALID, "params.durationMinutes");
        add(c, "holds: metadata nested object", HOLDS, holdJson(metadataDebit("{\"nested\":{\"a\":1}}")), 400, INVALID, "metadata.nested");
        add(c, "holds: unknown field expiresAt", HOLDS,
                holdJson("{\"bucket\":\"credits\",\"amount\":1,\"description\":\"x\",\"expiresAt\":\"2099-01-01T00:00:00Z\"}"), 400, INVALID, "expiresAt");
        add(c, "holds: unknown field holdId", HOLDS,
                holdJson("{\"operation\":\"ai_chat\",\"holdId\":\"" + UNKNOWN_HOLD + "\"}"), 400, INVALID, "holdId");
        add(c, "holds: unknown field status", HOLDS, holdJson("{\"operation\":\"ai_chat\",\"status\":\"captured\"}"), 400, INVALID, "status");
        add(c, "holds: unknown field ttl", HOLDS, holdJson("{\"operation\":\"ai_chat\",\"ttl\":60}"), 400, INVALID, "ttl");
        add(c, "holds: amount over the 10 available (insufficient)", HOLDS, holdJson(holdOfAmount("11")), 402, "insufficient_tokens", null);
        add(c, "holds: Limits.MAX_AMOUNT_TOKENS (insufficient)", HOLDS,
                holdJson(holdOfAmount(String.valueOf(Limits.MAX_AMOUNT_TOKENS))), 402, "insufficient_tokens", null);
        add(c, "holds: 120 min 1080p video (insufficient)", HOLDS,
                holdJson(videoDebit("{\"durationMinutes\":120,\"resolution\":\"1080p\"}")), 402, "insufficient_tokens", null);

        // --- POST holds: body, key and account
        add(c, "holds: empty body", HOLDS, holdJson(""), 400, INVALID, "body");
        add(c, "holds: top-level array", HOLDS, holdJson("[" + holdWithTtl("60") + "]"), 400, INVALID, "body");
        add(c, "holds: malformed JSON", HOLDS, holdJson("{\"bucket\":"), 400, INVALID, "body");
        add(c, "holds: duplicate ttlSeconds", HOLDS,
                holdJson("{\"operation\":\"ai_chat\",\"ttlSeconds\":60,\"ttlSeconds\":86400}"), 400, INVALID, "body");
        add(c, "holds: trailing garbage", HOLDS, holdJson(holdWithTtl("60") + " x"), 400, INVALID, "body");
        add(c, "holds: content-type text/plain", HOLDS, holdRaw(VICTIM, "text/plain", holdWithTtl("60"), key()), 415, "unsupported_media_type", null);
        add(c, "holds: body over 64 KiB", HOLDS, holdJson(bigAscii), 413, "payload_too_large", null);
        add(c, "holds: Idempotency-Key missing", HOLDS, holdRaw(VICTIM, "application/json", holdWithTtl("60"), null), 400, INVALID, "Idempotency-Key");
        add(c, "holds: Idempotency-Key with a newline", HOLDS, holdRaw(VICTIM, "application/json", holdWithTtl("60"), "k\nX: 1"), 400, INVALID, "Idempotency-Key");
        add(c, "holds: the key of an earlier hold with another body", HOLDS,
                holdRaw(HOLDER, "application/json", holdWithTtl("60"), HOLDER_HOLD_KEY), 409, "idempotency_key_reused", null);
        add(c, "holds: account that does not exist", HOLDS, holdRaw("ghost", "application/json", holdWithTtl("60"), key()), 404, "account_not_found", null);
        add(c, "holds: account id with a slash", HOLDS, holdRaw("victim/../admin", "application/json", holdWithTtl("60"), key()), 400, INVALID, "accountId");

        // --- POST capture: the hold id in the path
        add(c, "capture: hold id not a hold id", CAPTURE, captureOfId("nope"), 400, INVALID, "holdId");
        add(c, "capture: hold id empty", CAPTURE, captureOfId(""), 400, INVALID, "holdId");
        add(c, "capture: hold id one character short", CAPTURE, captureOfId(UNKNOWN_HOLD.substring(0, UNKNOWN_HOLD.length() - 1)), 400, INVALID, "holdId");
        add(c, "capture: hold id in lower case", CAPTURE, captureOfId(UNKNOWN_HOLD.toLowerCase(java.util.Locale.ROOT)), 400, INVALID, "holdId");
        add(c, "capture: hold id with a path traversal", CAPTURE, captureOfId("hold_../../ACCOUNT"), 400, INVALID, "holdId");
        add(c, "capture: hold id that is a key of the table", CAPTURE, captureOfId("HOLD#" + UNKNOWN_HOLD), 400, INVALID, "holdId");
        add(c, "capture: hold id with a trailing newline", CAPTURE, captureOfId(UNKNOWN_HOLD + "\n"), 400, INVALID, "holdId");
        add(c, "capture: hold id with a NUL", CAPTURE, captureOfId(UNKNOWN_HOLD + "\u0000"), 400, INVALID, "holdId");
        add(c, "capture: a transaction id as hold id", CAPTURE, captureOfId("tx_01J8ZQ5M3G7X2K4N6P8R0S2T4V"), 400, INVALID, "holdId");
        add(c, "capture: hold id of 1000 characters", CAPTURE, captureOfId("hold_" + "A".repeat(995)), 400, INVALID, "holdId");
        add(c, "capture: hold id missing from the path", CAPTURE,
                () -> ApiEvents.route(CAPTURE).account(HOLDER).caller(BACKEND, CHARGE).idempotencyKey(key()), 400, INVALID, "holdId");
        add(c, "capture: hold that does not exist", CAPTURE, captureOfId(UNKNOWN_HOLD), 404, "hold_not_found", null);
        add(c, "capture: the holder's hold on the victim's path", CAPTURE, captureOn(VICTIM, () -> pendingHold, null), 404, "hold_not_found", null);
        add(c, "capture: account that does not exist", CAPTURE, captureOn("ghost", () -> pendingHold, null), 404, "account_not_found", null);
        add(c, "capture: account id with bad characters", CAPTURE, captureOn("<script>", () -> pendingHold, null), 400, INVALID, "accountId");
        add(c, "capture: a hold captured already", CAPTURE, captureJson(() -> capturedHold, null), 409, "hold_already_resolved", null);
        add(c, "capture: a hold captured already, with an amount", CAPTURE, captureJson(() -> capturedHold, "{\"amount\":1}"), 409, "hold_already_resolved", null);

        // --- POST capture: the amount
        add(c, "capture: amount 0", CAPTURE, capturePending("{\"amount\":0}"), 400, INVALID, "amount");
        add(c, "capture: amount -0", CAPTURE, capturePending("{\"amount\":-0}"), 400, INVALID, "amount");
        add(c, "capture: amount negative", CAPTURE, capturePending("{\"amount\":-1}"), 400, INVALID, "amount");
        add(c, "capture: amount fractional", CAPTURE, capturePending("{\"amount\":1.5}"), 400, INVALID, "amount");
        add(c, "capture: amount as a string", CAPTURE, capturePending("{\"amount\":\"1\"}"), 400, INVALID, "amount");
        add(c, "capture: amount as a boolean", CAPTURE, capturePending("{\"amount\":true}"), 400, INVALID, "amount");
        add(c, "capture: amount beyond 64 bits", CAPTURE, capturePending("{\"amount\":99999999999999999999}"), 400, INVALID, "amount");
        add(c, "capture: amount Limits.MAX_AMOUNT_TOKENS + 1", CAPTURE,
                capturePending("{\"amount\":" + (Limits.MAX_AMOUNT_TOKENS + 1) + "}"), 400, INVALID, "amount");
        add(c, "capture: amount more than held (5 of 4)", CAPTURE, capturePending("{\"amount\":5}"), 400, INVALID, "amount");
        add(c, "capture: amount Limits.MAX_AMOUNT_TOKENS (more than held)", CAPTURE,
                capturePending("{\"amount\":" + Limits.MAX_AMOUNT_TOKENS + "}"), 400, INVALID, "amount");

        // --- POST capture: body, media type and key
        add(c, "capture: unknown field captured", CAPTURE, capturePending("{\"captured\":1}"), 400, INVALID, "captured");
        add(c, "capture: unknown field holdId", CAPTURE, capturePending("{\"amount\":1,\"holdId\":\"" + UNKNOWN_HOLD + "\"}"), 400, INVALID, "holdId");
        add(c, "capture: unknown field released", CAPTURE, capturePending("{\"released\":3}"), 400, INVALID, "released");
        add(c, "capture: top-level array", CAPTURE, capturePending("[{\"amount\":1}]"), 400, INVALID, "body");
        add(c, "capture: top-level number", CAPTURE, capturePending("1"), 400, INVALID, "body");
        add(c, "capture: malformed JSON", CAPTURE, capturePending("{\"amount\":"), 400, INVALID, "body");
        add(c, "capture: duplicate amount", CAPTURE, capturePending("{\"amount\":1,\"amount\":4}"), 400, INVALID, "body");
        add(c, "capture: trailing garbage", CAPTURE, capturePending("{\"amount\":1} x"), 400, INVALID, "body");
        add(c, "capture: content-type text/plain", CAPTURE, captureRaw("text/plain", "{\"amount\":1}", key()), 415, "unsupported_media_type", null);
        add(c, "capture: body over 64 KiB", CAPTURE, captureRaw("application/json", "{\"x\":\"" + "x".repeat(70_000) + "\"}", key()),
                413, "payload_too_large", null);
        add(c, "capture: Idempotency-Key missing", CAPTURE, captureRaw("application/json", "{\"amount\":1}", null), 400, INVALID, "Idempotency-Key");
        add(c, "capture: Idempotency-Key of 256 characters", CAPTURE,
                captureRaw("application/json", "{\"amount\":1}", "k".repeat(Limits.MAX_IDEMPOTENCY_KEY_LENGTH + 1)), 400, INVALID, "Idempotency-Key");
        add(c, "capture: the key of the earlier capture with another amount", CAPTURE,
                captureRaw("application/json", "{\"amount\":2}", HOLDER_CAPTURE_KEY), 409, "idempotency_key_reused", null);
        add(c, "capture: the key of the earlier hold", CAPTURE,
                captureRaw("application/json", "{\"amount\":1}", HOLDER_HOLD_KEY), 409, "idempotency_key_reused", null);

        // --- PUT account
        add(c, "account: email of 255 characters", OPEN,
                openJson("{\"email\":\"" + "e".repeat(64) + "@" + "d".repeat(Limits.MAX_EMAIL_LENGTH - 64) + "\"}"), 400, INVALID, "email");
        add(c, "account: email not an address", OPEN, openJson("{\"email\":\"not-an-email\"}"), 400, INVALID, "email");
        add(c, "account: email with a header injection", OPEN, openJson("{\"email\":\"a@example.com\\r\\nBcc: x@example.com\"}"), 400, INVALID, "email");
        add(c, "account: email is a number", OPEN, openJson("{\"email\":42}"), 400, INVALID, "email");
        add(c, "account: email empty", OPEN, openJson("{\"email\":\"\"}"), 400, INVALID, "email");
        add(c, "account: unknown field plan", OPEN, openJson("{\"plan\":\"enterprise\"}"), 400, INVALID, "plan");
        add(c, "account: unknown field purchased", OPEN, openJson("{\"email\":\"n@example.com\",\"purchased\":1000000}"), 400, INVALID, "purchased");
        add(c, "account: top-level array", OPEN, openJson("[]"), 400, INVALID, "body");
        add(c, "account: malformed JSON", OPEN, openJson("{\"email\":"), 400, INVALID, "body");
        add(c, "account: duplicate keys", OPEN, openJson("{\"email\":\"a@example.com\",\"email\":\"b@example.com\"}"), 400, INVALID, "body");
        add(c, "account: content-type text/plain", OPEN, openRaw(NEWCOMER, "text/plain", "{\"email\":\"n@example.com\"}"), 415, "unsupported_media_type", null);
        add(c, "account: body over 64 KiB", OPEN, openRaw(NEWCOMER, "application/json", "{\"email\":\"" + "x".repeat(70_000) + "\"}"), 413, "payload_too_large", null);
        add(c, "account: account id of 129 characters", OPEN, openRaw(longAccount, null, null), 400, INVALID, "accountId");
        add(c, "account: account id with bad characters", OPEN, openRaw("<script>", null, null), 400, INVALID, "accountId");
        add(c, "account: account id empty", OPEN, openRaw("", null, null), 400, INVALID, "accountId");

        // --- POST quotes
        add(c, "quotes: unknown operation", QUOTES, quoteJson(VICTIM, "{\"operation\":\"free_tokens\"}"), 400, INVALID, "operation");
        add(c, "quotes: unknown field metadata", QUOTES, quoteJson(VICTIM, "{\"operation\":\"ai_chat\",\"metadata\":{}}"), 400, INVALID, "metadata");
        add(c, "quotes: amount-style body", QUOTES, quoteJson(VICTIM, "{\"bucket\":\"credits\",\"amount\":1}"), 400, INVALID, "amount");
        add(c, "quotes: empty body", QUOTES, quoteJson(VICTIM, ""), 400, INVALID, "body");
        add(c, "quotes: top-level array", QUOTES, quoteJson(VICTIM, "[]"), 400, INVALID, "body");
        add(c, "quotes: durationMinutes 121", QUOTES, quoteJson(VICTIM, videoDebit("{\"durationMinutes\":121,\"resolution\":\"720p\"}")), 400, INVALID, "params.durationMinutes");
        add(c, "quotes: content-type text/plain", QUOTES, quoteRaw("text/plain", "{\"operation\":\"ai_chat\"}"), 415, "unsupported_media_type", null);
        add(c, "quotes: account id with bad characters", QUOTES, quoteJson("victim;drop", "{\"operation\":\"ai_chat\"}"), 400, INVALID, "accountId");
        add(c, "quotes: account that does not exist", QUOTES, quoteJson("ghost", "{\"operation\":\"ai_chat\"}"), 404, "account_not_found", null);

        // --- GET transactions
        add(c, "transactions: limit=0", TX, transactions(VICTIM, "limit", "0"), 400, INVALID, "limit");
        add(c, "transactions: limit=101", TX, transactions(VICTIM, "limit", "101"), 400, INVALID, "limit");
        add(c, "transactions: limit=abc", TX, transactions(VICTIM, "limit", "abc"), 400, INVALID, "limit");
        add(c, "transactions: limit=-1", TX, transactions(VICTIM, "limit", "-1"), 400, INVALID, "limit");
        add(c, "transactions: limit empty", TX, transactions(VICTIM, "limit", ""), 400, INVALID, "limit");
        add(c, "transactions: limit=1e2", TX, transactions(VICTIM, "limit", "1e2"), 400, INVALID, "limit");
        add(c, "transactions: limit=2.5", TX, transactions(VICTIM, "limit", "2.5"), 400, INVALID, "limit");
        add(c, "transactions: limit with a space", TX, transactions(VICTIM, "limit", " 5"), 400, INVALID, "limit");
        add(c, "transactions: limit beyond 64 bits", TX, transactions(VICTIM, "limit", "99999999999999999999"), 400, INVALID, "limit");
        add(c, "transactions: limit in Arabic-Indic digits", TX, transactions(VICTIM, "limit", "\u0665"), 400, INVALID, "limit");
        add(c, "transactions: cursor garbage", TX, transactions(VICTIM, "cursor", "abc"), 400, INVALID, "cursor");
        add(c, "transactions: cursor not base64", TX, transactions(VICTIM, "cursor", "!!!!"), 400, INVALID, "cursor");
        add(c, "transactions: cursor empty", TX, transactions(VICTIM, "cursor", ""), 400, INVALID, "cursor");
        add(c, "transactions: cursor of 65 characters", TX, transactions(VICTIM, "cursor", "A".repeat(65)), 400, INVALID, "cursor");
        add(c, "transactions: cursor of another version", TX, transactions(VICTIM, "cursor", cursorOf("v2:tx_01ARZ3NDEKTSV4RRFFQ69G5FAV")), 400, INVALID, "cursor");
        add(c, "transactions: cursor carrying an injection", TX, transactions(VICTIM, "cursor", cursorOf("v1:tx_' OR '1'='1")), 400, INVALID, "cursor");
        add(c, "transactions: cursor of an account key", TX, transactions(VICTIM, "cursor", cursorOf("v1:ACCOUNT#victim")), 400, INVALID, "cursor");
        add(c, "transactions: bad limit and bad cursor", TX, transactions(VICTIM, "limit", "0", "cursor", "abc"), 400, INVALID, "limit");
        add(c, "transactions: account id of 129 characters", TX, transactions(longAccount), 400, INVALID, "accountId");
        add(c, "transactions: account id with a wildcard", TX, transactions("*"), 400, INVALID, "accountId");
        add(c, "transactions: account that does not exist", TX, transactions("ghost"), 404, "account_not_found", null);
        return c.stream();
    }

    /** Hostile inputs the code once got wrong (trailing JSON content answered 201; a null param answered 500). */
    static Stream<Named<Case>> formerBugCases() {
        List<Named<Case>> c = new ArrayList<>();
        // Once accepted: StrictJson.object() ignored content after the first JSON value.
        add(c, "debits: trailing garbage after the object", DEBITS, debitJson(VALID_AMOUNT_DEBIT + " x"), 400, INVALID, "body");
        add(c, "debits: two concatenated objects", DEBITS, debitJson(VALID_AMOUNT_DEBIT + VALID_AMOUNT_DEBIT), 400, INVALID, "body");
        add(c, "debits: trailing closing brace", DEBITS, debitJson(VALID_AMOUNT_DEBIT + "}"), 400, INVALID, "body");
        add(c, "account: second object smuggling a plan", OPEN, openJson("{\"email\":\"n@example.com\"}{\"plan\":\"enterprise\"}"), 400, INVALID, "body");
        add(c, "quotes: trailing garbage after the object", QUOTES, quoteJson(VICTIM, "{\"operation\":\"ai_chat\"} x"), 400, INVALID, "body");
        // Once a 500: a null value inside 'params' made Map.copyOf throw NullPointerException.
        add(c, "debits: durationMinutes null", DEBITS, debitJson(videoDebit("{\"durationMinutes\":null,\"resolution\":\"720p\"}")), 400, INVALID, "params.durationMinutes");
        add(c, "debits: add-on null", DEBITS, debitJson(videoDebit("{\"durationMinutes\":1,\"resolution\":\"720p\",\"customMusic\":null}")), 400, INVALID, "params.customMusic");
        add(c, "debits: null param on a fixed-cost operation", DEBITS, debitJson("{\"operation\":\"ai_chat\",\"params\":{\"x\":null}}"), 400, INVALID, "params.x");
        add(c, "quotes: durationMinutes null", QUOTES, quoteJson(VICTIM, videoDebit("{\"durationMinutes\":null,\"resolution\":\"720p\"}")), 400, INVALID, "params.durationMinutes");
        return c.stream();
    }

    /** Hostile inputs the code once got wrong: the same key on another hold was replayed as the first hold's answer. */
    static Stream<Named<Case>> holdKeyBugCases() {
        List<Named<Case>> c = new ArrayList<>();
        // The capture of the captured hold was {"amount":1} under HOLDER_CAPTURE_KEY; the same key and body on the
        // pending hold is another request (another hold), so it must not replay the first one's 200.
        add(c, "capture: the key and body of the capture of another hold", CAPTURE,
                captureRaw("application/json", "{\"amount\":1}", HOLDER_CAPTURE_KEY), 409, "idempotency_key_reused", null);
        return c.stream();
    }

    /** Issue 19 item 11: inputs the document forbids that were accepted. */
    static Stream<Named<Case>> issue19Cases() {
        List<Named<Case>> c = new ArrayList<>();
        add(c, "holds: ttlSeconds null", HOLDS, holdJson(holdWithTtl("null")), 400, INVALID, "ttlSeconds");
        add(c, "capture: amount null (it captured everything)", CAPTURE, capturePending("{\"amount\":null}"), 400, INVALID, "amount");
        add(c, "account: email null", OPEN, openJson("{\"email\":null}"), 400, INVALID, "email");
        add(c, "debits: metadata null", DEBITS, debitJson(metadataDebit("null")), 400, INVALID, "metadata");
        add(c, "debits: description null", DEBITS, debitJson("{\"bucket\":\"credits\",\"amount\":1,\"description\":null}"), 400, INVALID,
                "description");
        add(c, "debits: a lone surrogate in a metadata value", DEBITS, debitJson(metadataDebit("{\"note\":\"a\\ud800b\"}")), 400, INVALID,
                "metadata.note");
        add(c, "debits: a lone low surrogate in a metadata key", DEBITS, debitJson(metadataDebit("{\"\\udc00\":\"x\"}")), 400, INVALID,
                "metadata");
        add(c, "debits: a lone surrogate in the description", DEBITS,
                debitJson("{\"bucket\":\"credits\",\"amount\":1,\"description\":\"\\udbff\"}"), 400, INVALID, "description");
        add(c, "debits: charset=utf-16 on a UTF-8 body", DEBITS, debitRaw("application/json; charset=utf-16", VALID_AMOUNT_DEBIT, false),
                415, "unsupported_media_type", null);
        add(c, "debits: charset=latin1", DEBITS, debitRaw("application/json;charset=\"ISO-8859-1\"", VALID_AMOUNT_DEBIT, false),
                415, "unsupported_media_type", null);
        add(c, "debits: Content-Encoding gzip on a plain body", DEBITS,
                () -> debitJson(VALID_AMOUNT_DEBIT).get().header("Content-Encoding", "gzip"), 415, "unsupported_media_type", null);
        add(c, "debits: Content-Encoding br on a plain body", DEBITS,
                () -> debitJson(VALID_AMOUNT_DEBIT).get().header("Content-Encoding", "br"), 415, "unsupported_media_type", null);
        add(c, "debits: Idempotency-Key with a TAB inside", DEBITS, debitWithKey("key\twith-tab"), 400, INVALID, "Idempotency-Key");
        return c.stream();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("issue19Cases")
    @Order(1)
    void issue19(Case hostile) {
        hostileInputIsRefusedAndChangesNothing(hostile);
    }

    private static void add(List<Named<Case>> c, String name, String route, Supplier<ApiEvents> request, int status, String code, String field) {
        c.add(Named.of(name, Case.of(route, request, status, code, field)));
    }

    // ---------------------------------------------------------------- the tests

    @Test
    @Order(0)
    void theCorpusHasAtLeastFiftyCasesOverTheSixRoutes() {
        List<Case> all = cases().map(Named::getPayload).toList();
        assertThat(all).hasSizeGreaterThanOrEqualTo(50);
        assertThat(all).extracting(Case::route).contains(DEBITS, HOLDS, CAPTURE, OPEN, QUOTES, TX);
        assertThat(cases().map(Named::getName).distinct().count()).as("case names are unique").isEqualTo(all.size());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    @Order(1)
    void hostileInputIsRefusedAndChangesNothing(Case hostile) {
        ApiHandler handler = DebitHandler.ROUTES.contains(hostile.route()) ? debit : check;
        APIGatewayV2HTTPEvent event = hostile.request().get().build();
        List<Map<String, Object>> before = wallet.items();

        APIGatewayV2HTTPResponse response = TestWallet.call(handler, event);

        String body = response.getBody();
        String shown = body == null ? "null" : body.length() > 400 ? body.substring(0, 400) + "..." : body;
        assertThat(response.getStatusCode()).as("no 5xx: %s", shown).isLessThan(500);
        assertThat(response.getStatusCode()).as(shown).isEqualTo(hostile.status());
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        Map<String, Object> problem = TestWallet.body(response);
        assertThat(problem).containsKeys("type", "title", "status", "detail", "code")
                .containsEntry("status", hostile.status())
                .containsEntry("code", hostile.code())
                .containsEntry("type", ApiResponses.PROBLEM_TYPE_BASE + hostile.code());
        assertThat(problem.get("title")).asString().isNotBlank();
        assertThat(problem.get("detail")).asString().isNotBlank().hasSizeLessThan(1024);
        if (hostile.field() != null) {
            assertThat(problem).containsEntry("field", hostile.field());
        }
        if (hostile.status() == 402) {
            assertThat(problem).containsEntry("bucket", "credits").containsEntry("available", 10).containsKey("required");
        }
        assertThat(response.getHeaders()).doesNotContainKey("Idempotent-Replayed");
        assertThat(wallet.items()).as("a refused request changes nothing").containsExactlyInAnyOrderElementsOf(before);
    }

    /** Cases that were bugs once: trailing content after the body, and null values inside params. */
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("formerBugCases")
    @Order(1)
    void formerBugs(Case hostile) {
        hostileInputIsRefusedAndChangesNothing(hostile);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("holdKeyBugCases")
    @Order(1)
    void holdKeyBug(Case hostile) {
        hostileInputIsRefusedAndChangesNothing(hostile);
    }

    @Test
    @Order(2)
    void afterTheWholeCorpusTheVictimsBalanceAndTheTableAreUnchanged() {
        assertThat(balance()).isEqualTo(initialBalance);
        assertThat(wallet.items()).containsExactlyInAnyOrderElementsOf(initialItems);
        // The refusals used up no key: a valid debit now succeeds, and only then does the balance move.
        var ok = TestWallet.call(debit, debitJson(VALID_AMOUNT_DEBIT).get().build());
        assertThat(ok.getStatusCode()).as(ok.getBody()).isEqualTo(201);
        assertThat(balance()).extracting("buckets").extracting("credits").extracting("available").isEqualTo(9);
        // The holder's pending hold survived every hostile capture and still captures, once.
        var captured = TestWallet.call(debit, capturePending("{\"amount\":2}").get().build());
        assertThat(captured.getStatusCode()).as(captured.getBody()).isEqualTo(200);
        assertThat(TestWallet.body(captured)).containsEntry("holdId", pendingHold).containsEntry("captured", 2).containsEntry("released", 2)
                .containsEntry("available", 7);
    }

    private Map<String, Object> balance() {
        var response = TestWallet.call(check, ApiEvents.route(CheckHandler.BALANCE).account(VICTIM).caller(BACKEND, CHARGE).build());
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
        return TestWallet.body(response);
    }
}
