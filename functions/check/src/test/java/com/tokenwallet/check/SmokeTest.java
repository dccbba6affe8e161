package com.tokenwallet.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void catalogAnswers() {
        try (TestWallet wallet = new TestWallet()) {
            CheckHandler handler = wallet.handler(CheckHandler::new);
            var response = TestWallet.call(handler, ApiEvents.route(CheckHandler.CATALOG).caller("alice", "wallet:read").build());
            assertThat(response.getStatusCode()).isEqualTo(200);
            assertThat(TestWallet.body(response)).containsKey("operations");
            var missing = TestWallet.call(handler, ApiEvents.route(CheckHandler.BALANCE).account("alice").caller("alice", "wallet:read").build());
            assertThat(missing.getStatusCode()).isEqualTo(404);
        }
    }
}
