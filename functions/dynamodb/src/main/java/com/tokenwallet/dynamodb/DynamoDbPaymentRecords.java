package com.tokenwallet.dynamodb;

import com.tokenwallet.domain.StoreUnavailableException;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.billing.Offer;
import com.tokenwallet.domain.billing.OwedPayment;
import com.tokenwallet.domain.port.PaymentRecords;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * Offers and owed payments in the wallet's table, in the account's partition: {@code SK = OFFER#<offerId>}
 * (expiring by the table's TTL attribute) and {@code SK = OWED#<paymentId>}. Each item keeps the record as one JSON
 * {@code document}, beside what a condition or a reader needs ({@code version}, {@code status}). An offer is put
 * on condition that it does not exist (a retry reads the stored one); owed payments are written by
 * {@link DynamoDbWalletStore#write} within the event's transaction (SideWrite.Owed) and read here with strongly
 * consistent reads.
 */
public final class DynamoDbPaymentRecords implements PaymentRecords {
    static final String OFFER_PREFIX = "OFFER#";
    static final String OWED_PREFIX = "OWED#";

    private final DynamoDbClient client;
    private final String table;

    public DynamoDbPaymentRecords(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    static Map<String, AttributeValue> offerKey(AccountId id, String offerId) {
        return Items.key(Items.pk(id), OFFER_PREFIX + offerId);
    }

    static Map<String, AttributeValue> owedKey(AccountId id, String paymentId) {
        return Items.key(Items.pk(id), OWED_PREFIX + paymentId);
    }

    static Map<String, AttributeValue> offerItem(Offer offer) {
        Map<String, AttributeValue> item = new HashMap<>(offerKey(offer.account(), offer.offerId()));
        item.put("type", Items.s("offer"));
        item.put("offerId", Items.s(offer.offerId()));
        item.put("packageId", Items.s(offer.packageId()));
        item.put("document", Items.s(offer.toDocument()));
        item.put(WalletTable.TTL_ATTRIBUTE, Items.n(offer.expiresAt().getEpochSecond()));
        return item;
    }

    static Map<String, AttributeValue> owedItem(OwedPayment owed) {
        Map<String, AttributeValue> item = new HashMap<>(owedKey(owed.account(), owed.paymentId()));
        item.put("type", Items.s("owed_payment"));
        item.put("owedPaymentId", Items.s(owed.paymentId()));
        item.put("status", Items.s(owed.status()));
        item.put("version", Items.n(owed.version()));
        item.put("document", Items.s(owed.toDocument()));
        return item;
    }

    @Override
    public Offer putOffer(Offer offer) {
        try {
            call("store the offer", () -> client.putItem(b -> b.tableName(table).item(offerItem(offer))
                    .conditionExpression("attribute_not_exists(PK)").returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
            return offer;
        } catch (ConditionalCheckFailedException e) {
            return findOffer(offer.account(), offer.offerId()).orElseThrow(() -> new StoreUnavailableException(
                    "Offer " + offer.offerId() + " exists but could not be read back.", e));
        }
    }

    @Override
    public Optional<Offer> findOffer(AccountId account, String offerId) {
        return get("read the offer", offerKey(account, offerId)).map(item -> Offer.fromDocument(item.get("document").s()));
    }

    @Override
    public List<OwedPayment> owedPayments(AccountId account, int limit) {
        var response = call("list the owed payments", () -> client.query(b -> b.tableName(table)
                .keyConditionExpression("PK = :pk AND begins_with(SK, :prefix)")
                .expressionAttributeValues(Map.of(":pk", Items.s(Items.pk(account)), ":prefix", Items.s(OWED_PREFIX)))
                .consistentRead(true).limit(limit).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
        return response.items().stream().map(item -> OwedPayment.fromDocument(item.get("document").s())).toList();
    }

    @Override
    public Optional<OwedPayment> findOwedPayment(AccountId account, String paymentId) {
        return get("read the owed payment", owedKey(account, paymentId)).map(item -> OwedPayment.fromDocument(item.get("document").s()));
    }

    private Optional<Map<String, AttributeValue>> get(String what, Map<String, AttributeValue> key) {
        GetItemResponse response = call(what, () -> client.getItem(b -> b.tableName(table).key(key).consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)));
        return response.hasItem() && !response.item().isEmpty() ? Optional.of(response.item()) : Optional.empty();
    }

    private static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (ConditionalCheckFailedException e) {
            throw e;
        } catch (SdkException e) {
            throw new StoreUnavailableException("Could not " + what + " in DynamoDB: " + e.getClass().getSimpleName() + ".", e);
        }
    }
}
