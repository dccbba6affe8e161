package com.tokenwallet.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.billing.PurchaseRecord;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A purchase item keeps what was paid (issue 19), and one written before that reads without it. */
class PurchaseItemTest {
    private static final AccountId ANN = AccountId.of("ann");

    @Test
    void whatWasPaid_roundTrips_andAnOlderItemHasNone() {
        PurchaseRecord paid = new PurchaseRecord("pi_1", "pro", Map.of("credits", 160L), Map.of(), false, 1,
                Optional.of(new PurchaseRecord.AmountPaid(2699, "usd")));
        var item = Items.purchase(ANN, paid);

        assertThat(item).containsKeys("amountPaid", "currency");
        assertThat(Items.purchase(item)).isEqualTo(paid);

        PurchaseRecord older = new PurchaseRecord("pi_2", "pro", Map.of("credits", 160L), Map.of(), false, 1);
        assertThat(Items.purchase(ANN, older)).doesNotContainKeys("amountPaid", "currency");
        assertThat(Items.purchase(Items.purchase(ANN, older))).isEqualTo(older);
    }
}
