package com.tokenwallet.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.testing.ApiEvents;
import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.command.CreateAccountCommand;
import com.tokenwallet.domain.service.WalletService;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Short calls the admin tests share: a wallet, its admin handler, accounts opened through the domain. */
final class AdminApi implements AutoCloseable {
    static final String ADMIN_SUB = "ops-alice";

    final TestWallet wallet;
    final AdminHandler handler;

    AdminApi(Clock clock) {
        wallet = clock == null ? new TestWallet() : new TestWallet(clock);
        handler = wallet.handler(AdminHandler::new);
    }

    void open(String accountId, String email) {
        wallet.context.getBean(WalletService.class).open(new CreateAccountCommand(AccountId.of(accountId), Optional.ofNullable(email)));
    }

    /** A request of the admin (wallet:admin, sub {@value #ADMIN_SUB}) on a route. */
    static ApiEvents asAdmin(String route) {
        return ApiEvents.route(route).caller(ADMIN_SUB, "wallet:admin");
    }

    APIGatewayV2HTTPResponse call(ApiEvents event) {
        return TestWallet.call(handler, event.build());
    }

    Map<String, Object> ok(ApiEvents event, int status) {
        APIGatewayV2HTTPResponse response = call(event);
        assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
        return TestWallet.body(response);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> bucket(Map<String, Object> body, String name) {
        return (Map<String, Object>) ((Map<String, Object>) body.get("buckets")).get(name);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> body, String name) {
        return (List<Map<String, Object>>) body.get(name);
    }

    @Override
    public void close() {
        wallet.close();
    }


    /** What the webhook writes for a paid package nothing knows (issue 19 item 3): an owed payment with the event's record. */
    void owe(String accountId, String paymentId) {
        var store = wallet.store;
        var account = store.findAccount(AccountId.of(accountId)).orElseThrow();
        var owed = new com.tokenwallet.domain.billing.OwedPayment(paymentId, account.id(), "evt_" + paymentId, "cs_" + paymentId,
                Optional.of("gold"), Optional.empty(), Optional.of(new com.tokenwallet.domain.billing.PurchaseRecord.AmountPaid(4_900, "usd")),
                com.tokenwallet.domain.billing.OwedPayment.UNKNOWN_PACKAGE, "package gold is in no offer and not in the catalog",
                java.time.Instant.now(), com.tokenwallet.domain.billing.OwedPayment.OWED, Optional.empty(), 1);
        var written = store.write(new com.tokenwallet.domain.port.WalletStore.AccountWrite(account, account, List.of(), Optional.empty(), List.of(
                new com.tokenwallet.domain.port.WalletStore.SideWrite.EventApplied(owed.eventId(), "checkout.session.completed", java.time.Instant.now()),
                new com.tokenwallet.domain.port.WalletStore.SideWrite.Owed(Optional.empty(), owed))));
        assertThat(written).isInstanceOf(com.tokenwallet.domain.port.WalletStore.WriteResult.Applied.class);
    }
}
