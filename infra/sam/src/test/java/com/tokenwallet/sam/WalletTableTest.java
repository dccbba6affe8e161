package com.tokenwallet.sam;

import static com.tokenwallet.sam.SamTemplate.at;
import static com.tokenwallet.sam.SamTemplate.list;
import static com.tokenwallet.sam.SamTemplate.map;
import static com.tokenwallet.sam.SamTemplate.optionalMap;
import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.dynamodb.WalletTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;

/**
 * The table in AWS is the table the code was tested against: the same keys as
 * {@link WalletTable#createTableRequest(String)} (what the local runner creates on a DynamoDB endpoint), TTL on the
 * attribute the code writes, and protected as a ledger should be: point-in-time recovery on, retained when the
 * stack goes.
 */
class WalletTableTest {

    /** The template's table, as attribute name to type, key schema in order, billing mode, and index keys. */
    record KeyShape(Map<String, String> attributes, List<String> keys, String billingMode, Map<String, List<String>> indexes) {
    }

    static KeyShape templateShape(SamTemplate template) {
        String id = template.walletTableId();
        Map<String, Object> properties = optionalMap(template.resource(id).get("Properties"), id + ".Properties");
        Map<String, String> attributes = new TreeMap<>();
        for (Object a : list(properties.get("AttributeDefinitions"), id + ".AttributeDefinitions")) {
            Map<String, Object> definition = map(a, id + ".AttributeDefinitions[]");
            attributes.put(String.valueOf(definition.get("AttributeName")), String.valueOf(definition.get("AttributeType")));
        }
        Map<String, List<String>> indexes = new TreeMap<>();
        for (String kind : List.of("GlobalSecondaryIndexes", "LocalSecondaryIndexes")) {
            Object declared = properties.get(kind);
            for (Object index : declared == null ? List.of() : list(declared, id + "." + kind)) {
                Map<String, Object> i = map(index, id + "." + kind + "[]");
                indexes.put(String.valueOf(i.get("IndexName")), keys(i.get("KeySchema"), id + "." + kind));
            }
        }
        return new KeyShape(attributes, keys(properties.get("KeySchema"), id + ".KeySchema"),
                String.valueOf(properties.get("BillingMode")), indexes);
    }

    private static List<String> keys(Object keySchema, String where) {
        List<String> keys = new ArrayList<>();
        for (Object k : list(keySchema, where)) {
            Map<String, Object> key = map(k, where + "[]");
            keys.add(key.get("AttributeName") + " " + key.get("KeyType"));
        }
        return keys;
    }

    static KeyShape codeShape() {
        CreateTableRequest request = WalletTable.createTableRequest("x");
        Map<String, String> attributes = new TreeMap<>();
        request.attributeDefinitions().forEach(a -> attributes.put(a.attributeName(), a.attributeTypeAsString()));
        Map<String, List<String>> indexes = new TreeMap<>();
        request.globalSecondaryIndexes().forEach(i -> indexes.put(i.indexName(),
                i.keySchema().stream().map(k -> k.attributeName() + " " + k.keyTypeAsString()).toList()));
        request.localSecondaryIndexes().forEach(i -> indexes.put(i.indexName(),
                i.keySchema().stream().map(k -> k.attributeName() + " " + k.keyTypeAsString()).toList()));
        return new KeyShape(attributes,
                request.keySchema().stream().map(k -> k.attributeName() + " " + k.keyTypeAsString()).toList(),
                request.billingModeAsString(), indexes);
    }

    /** TTL, recovery and retention. */
    static List<String> protectionProblems(SamTemplate template) {
        String id = template.walletTableId();
        Map<String, Object> table = template.resource(id);
        Map<String, Object> properties = optionalMap(table.get("Properties"), id + ".Properties");
        List<String> problems = new ArrayList<>();
        if (!"PAY_PER_REQUEST".equals(properties.get("BillingMode"))) {
            problems.add(id + ".BillingMode is " + properties.get("BillingMode") + ", not PAY_PER_REQUEST");
        }
        Map<String, Object> ttl = optionalMap(properties.get("TimeToLiveSpecification"), id + ".TimeToLiveSpecification");
        if (!WalletTable.TTL_ATTRIBUTE.equals(ttl.get("AttributeName")) || !Boolean.TRUE.equals(ttl.get("Enabled"))) {
            problems.add(id + ".TimeToLiveSpecification is " + ttl + ", not enabled on " + WalletTable.TTL_ATTRIBUTE
                    + ": expired idempotency records and holds would never go");
        }
        Map<String, Object> pitr = optionalMap(properties.get("PointInTimeRecoverySpecification"),
                id + ".PointInTimeRecoverySpecification");
        if (!Boolean.TRUE.equals(pitr.get("PointInTimeRecoveryEnabled"))) {
            problems.add(id + " has no point-in-time recovery: " + pitr);
        }
        for (String policy : List.of("DeletionPolicy", "UpdateReplacePolicy")) {
            if (!"Retain".equals(table.get(policy))) {
                problems.add(id + "." + policy + " is " + table.get(policy) + ", not Retain: deleting or replacing the"
                        + " stack would delete every balance and the ledger");
            }
        }
        return problems;
    }

    @Test
    void theTemplatesTable_hasTheKeysTheCodeCreates() {
        KeyShape template = templateShape(SamTemplate.load());
        KeyShape code = codeShape();

        assertThat(template).isEqualTo(code);
        assertThat(template.attributes()).containsEntry(WalletTable.PK, "S").containsEntry(WalletTable.SK, "S");
        assertThat(template.keys()).containsExactly(WalletTable.PK + " HASH", WalletTable.SK + " RANGE");
    }

    @Test
    void theTable_expiresRecordsAndSurvivesMistakes() {
        assertThat(protectionProblems(SamTemplate.load())).isEmpty();
    }

    static Stream<Arguments> unsafeCopies() {
        String[] table = {"Resources", "WalletTable"};
        String[] properties = {"Resources", "WalletTable", "Properties"};
        TemplateCheck protection = WalletTableTest::protectionProblems;
        TemplateCheck keys = t -> templateShape(t).equals(codeShape()) ? List.of() : List.of("keys differ: " + templateShape(t));
        return Stream.of(
                unsafe("DeletionPolicy Delete", protection, t -> at(t, table).put("DeletionPolicy", "Delete")),
                unsafe("no UpdateReplacePolicy", protection, t -> at(t, table).remove("UpdateReplacePolicy")),
                unsafe("TTL on another attribute", protection,
                        t -> at(t, properties).put("TimeToLiveSpecification", Map.of("AttributeName", "ttl", "Enabled", true))),
                unsafe("no point-in-time recovery", protection, t -> at(t, properties).remove("PointInTimeRecoverySpecification")),
                unsafe("provisioned billing", protection, t -> at(t, properties).put("BillingMode", "PROVISIONED")),
                unsafe("a numeric sort key", keys, t -> at(t, properties).put("AttributeDefinitions", List.of(
                        Map.of("AttributeName", "PK", "AttributeType", "S"), Map.of("AttributeName", "SK", "AttributeType", "N")))),
                unsafe("swapped key types", keys, t -> at(t, properties).put("KeySchema", List.of(
                        Map.of("AttributeName", "PK", "KeyType", "RANGE"), Map.of("AttributeName", "SK", "KeyType", "HASH")))),
                unsafe("an index the code does not know", keys, t -> at(t, properties).put("GlobalSecondaryIndexes", List.of(
                        Map.of("IndexName", "byEmail", "KeySchema", List.of(Map.of("AttributeName", "SK", "KeyType", "HASH")))))),
                unsafe("functions pointed at no table", protection,
                        t -> at(t, "Globals", "Function", "Environment", "Variables").put("WALLET_TABLE", "wallet")));
    }

    private static Arguments unsafe(String mistake, TemplateCheck check, Consumer<Map<String, Object>> change) {
        return Arguments.of(mistake, check, change);
    }

    @ParameterizedTest(name = "catches {0}")
    @MethodSource("unsafeCopies")
    void theChecks_catchAnUnsafeCopy(String mistake, TemplateCheck check, Consumer<Map<String, Object>> change) {
        Map<String, Object> tree = SamTemplate.load().tree();
        change.accept(tree);

        assertThat(check.run(SamTemplate.of(tree))).as("a template with %s", mistake).isNotEmpty();
    }
}
