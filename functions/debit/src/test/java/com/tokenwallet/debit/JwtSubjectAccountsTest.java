package com.tokenwallet.debit;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.check.CheckHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 item 14: an identity provider's {@code sub} is the natural account id, and Auth0's and others' contain
 * {@code |} ({@code auth0|123}, {@code google-oauth2|104532}). Such a user opens and reads their own account with
 * {@code wallet:read}, a backend debits it, and another subject is still refused.
 */
class JwtSubjectAccountsTest {
    private TestWallet wallet;
    private DebitHandler debit;
    private CheckHandler check;

    @BeforeEach
    void start() {
        wallet = new TestWallet();
        debit = wallet.handler(DebitHandler::new);
        check = wallet.handler(CheckHandler::new);
    }

    @AfterEach
    void stop() {
        wallet.close();
    }

    @Test
    void aSubjectWithAPipe_isItsOwnAccount() {
        String sub = "auth0|6512f0c9a1b2c3d4e5f60718";

        var opened = TestWallet.call(debit, ApiEvents.route(DebitHandler.OPEN_ACCOUNT).account(sub).caller(sub, "wallet:read").build());
        assertThat(opened.getStatusCode()).as(opened.getBody()).isEqualTo(201);
        assertThat(TestWallet.body(opened)).containsEntry("accountId", sub);

        var debited = TestWallet.call(debit, ApiEvents.route(DebitHandler.DEBITS).account(sub).caller("billing-backend", "wallet:charge")
                .idempotencyKey("k1").json("{\"bucket\":\"credits\",\"amount\":3,\"description\":\"chat\"}").build());
        assertThat(debited.getStatusCode()).as(debited.getBody()).isEqualTo(201);

        var balance = TestWallet.call(check, ApiEvents.route(CheckHandler.BALANCE).account(sub).caller(sub, "wallet:read").build());
        assertThat(balance.getStatusCode()).isEqualTo(200);
        assertThat(TestWallet.body(balance)).containsEntry("accountId", sub);

        var someoneElse = TestWallet.call(check, ApiEvents.route(CheckHandler.BALANCE).account(sub)
                .caller("auth0|6512f0c9a1b2c3d4e5f60719", "wallet:read").build());
        assertThat(someoneElse.getStatusCode()).isEqualTo(403);
    }
}
