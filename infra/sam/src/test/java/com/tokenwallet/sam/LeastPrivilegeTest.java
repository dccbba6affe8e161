package com.tokenwallet.sam;

import static com.tokenwallet.sam.SamTemplate.at;
import static com.tokenwallet.sam.SamTemplate.ref;
import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.check.CheckHandler;
import com.tokenwallet.debit.DebitHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each function's role can do what its code does and nothing more: the check function only reads; the debit
 * function reads and writes items but cannot delete, scan or reshape the table; nobody touches anything but the
 * wallet table (its indexes included). No function invokes another or itself: the quota reset's fan-out is a Step
 * Functions state machine's (QuotaResetTemplateTest checks its role).
 */
class LeastPrivilegeTest {
    /** The policy templates that only read. */
    static final Set<String> READ_ONLY_TEMPLATES = Set.of("DynamoDBReadPolicy");
    /** Read-only DynamoDB actions (lower case: IAM action names are case-insensitive). */
    static final Pattern READ_ACTION = Pattern.compile(
            "dynamodb:(get.*|batchgetitem|query|scan|describe.*|list.*|conditioncheckitem|partiqlselect)");
    /** What the debit function must never be able to do. */
    static final Pattern DEBIT_FORBIDDEN_ACTION = Pattern.compile("dynamodb:(delete.*|scan|updatetable)|.*\\*.*");

    /** The SAM policy template that lets a function send balance events, and the only bus it may name. */
    static final String EVENTS_POLICY = "EventBridgePutEventsPolicy";
    static final String WALLET_EVENT_BUS = "WalletEventBus";

    /** The check function's permissions that are not reads, or that come from something other than a read-only template. */
    static List<String> checkFunctionBeyondReading(SamTemplate template) {
        SamTemplate.Function check = template.functionHandledBy(CheckHandler.class);
        List<String> problems = new ArrayList<>();
        for (Object policy : check.policies()) {
            boolean readTemplate = policy instanceof Map<?, ?> m && m.size() == 1
                    && READ_ONLY_TEMPLATES.contains(String.valueOf(m.keySet().iterator().next()));
            if (!readTemplate) {
                problems.add(check.logicalId() + " has policy " + policy + ", which is not one of " + READ_ONLY_TEMPLATES);
            }
        }
        for (IamPolicies.Statement s : IamPolicies.expand(check)) {
            problems.addAll(unreadable(s));
            allowed(s).filter(a -> !READ_ACTION.matcher(a.toLowerCase()).matches())
                    .forEach(a -> problems.add(check.logicalId() + " may " + a + ", which is not a read (" + s.source() + ")"));
        }
        return problems;
    }

    /** The debit function's deletes, scans, table changes and wildcards. */
    static List<String> debitFunctionOverreach(SamTemplate template) {
        SamTemplate.Function debit = template.functionHandledBy(DebitHandler.class);
        List<String> problems = new ArrayList<>();
        for (IamPolicies.Statement s : IamPolicies.expand(debit)) {
            problems.addAll(unreadable(s));
            allowed(s).filter(a -> DEBIT_FORBIDDEN_ACTION.matcher(a.toLowerCase()).matches())
                    .forEach(a -> problems.add(debit.logicalId() + " may " + a + " (" + s.source() + ")"));
        }
        return problems;
    }


    /** Statements of any function that reach beyond the wallet table (and its indexes), or beyond invoking itself. */
    static List<String> statementsBeyondTheWalletTable(SamTemplate template) {
        String table = template.walletTableId();
        List<String> problems = new ArrayList<>();
        for (SamTemplate.Function function : template.functions()) {
            if (function.properties().containsKey("Role")) {
                problems.add(function.logicalId() + " sets Role, so SAM ignores its Policies and nothing here can see"
                        + " what it may do");
            }
            for (IamPolicies.Statement s : IamPolicies.expand(function)) {
                problems.addAll(unreadable(s));
                if (s.opaque()) {
                    continue;
                }
                if (EVENTS_POLICY.equals(s.policyTemplate())) {
                    // Balance events: PutEvents on the wallet's own bus, nothing else.
                    if (!ref(s.templateParameters().get("EventBusName")).equals(Optional.of(WALLET_EVENT_BUS))) {
                        problems.add(s.source() + ": EventBusName is " + s.templateParameters().get("EventBusName")
                                + ", not !Ref " + WALLET_EVENT_BUS);
                    }
                    continue;
                }
                if (s.policyTemplate() != null) {
                    if (!ref(s.templateParameters().get("TableName")).equals(Optional.of(table))) {
                        problems.add(s.source() + ": TableName is " + s.templateParameters().get("TableName")
                                + ", not !Ref " + table);
                    }
                    continue;
                }
                Object resource = s.resource();
                List<?> resources = resource instanceof List<?> list ? list : List.of(resource == null ? "(none)" : resource);
                for (Object r : resources) {
                    if (!isTheTable(r, table)) {
                        problems.add(s.source() + ": Resource " + r + " is not the table " + table
                                + " (!GetAtt " + table + ".Arn, or !Sub ${" + table + ".Arn}/index/...)");
                    }
                }
            }
        }
        return problems;
    }

    private static boolean isTheTable(Object resource, String table) {
        if (resource instanceof Map<?, ?> m && m.size() == 1) {
            if (List.of(table, "Arn").equals(m.get("Fn::GetAtt"))) {
                return true;
            }
            return m.get("Fn::Sub") instanceof String sub && sub.startsWith("${" + table + ".Arn}/index/")
                    && !sub.contains("${AWS::");
        }
        return false;
    }

    /** The actions a statement allows (a Deny only ever takes permissions away). */
    private static Stream<String> allowed(IamPolicies.Statement s) {
        return "Allow".equals(s.effect()) ? s.actions().stream() : Stream.empty();
    }

    private static List<String> unreadable(IamPolicies.Statement s) {
        List<String> problems = new ArrayList<>();
        if (s.opaque()) {
            problems.add("cannot see what " + s.source() + " allows: use a SAM policy template or an inline statement");
        } else if (!s.effect().equals("Allow") && !s.effect().equals("Deny")) {
            problems.add(s.source() + " has Effect " + s.effect());
        } else if (!s.notActions().isEmpty()) {
            problems.add(s.source() + " uses NotAction, which allows everything else");
        }
        return problems;
    }

    @Test
    void theCheckFunction_onlyReads() {
        assertThat(checkFunctionBeyondReading(SamTemplate.load())).isEmpty();
    }

    @Test
    void theDebitFunction_cannotDeleteScanOrReshapeTheTable() {
        assertThat(debitFunctionOverreach(SamTemplate.load())).isEmpty();
    }

    @Test
    void everyStatement_isLimitedToTheWalletTable() {
        assertThat(statementsBeyondTheWalletTable(SamTemplate.load())).isEmpty();
    }

    /**
     * The other side of least privilege: the calls DynamoDbWalletStore makes for each function must be allowed, or
     * the function fails at its first request. TransactWriteItems is authorized per item, so the debit's
     * transactions need PutItem and UpdateItem.
     */
    @Test
    void everyFunction_mayDoWhatTheStoreDoesForIt() {
        SamTemplate template = SamTemplate.load();

        assertThat(IamPolicies.actions(template.functionHandledBy(CheckHandler.class)))
                .contains("dynamodb:getitem", "dynamodb:query");
        // Holds are resolved with an Update inside the transaction: UpdateItem.
        assertThat(IamPolicies.actions(template.functionHandledBy(DebitHandler.class)))
                .contains("dynamodb:getitem", "dynamodb:batchgetitem", "dynamodb:putitem", "dynamodb:updateitem");
        assertThat(IamPolicies.actions(template.functionHandledBy(com.tokenwallet.refund.RefundHandler.class)))
                .contains("dynamodb:getitem", "dynamodb:batchgetitem", "dynamodb:putitem", "dynamodb:updateitem");
        // The customer is stored with a conditional write; the webhook finds accounts through two indexes.
        assertThat(IamPolicies.actions(template.functionHandledBy(com.tokenwallet.checkout.CheckoutHandler.class)))
                .contains("dynamodb:getitem", "dynamodb:putitem");
        assertThat(IamPolicies.actions(template.functionHandledBy(com.tokenwallet.stripewebhook.StripeWebhookHandler.class)))
                .contains("dynamodb:getitem", "dynamodb:batchgetitem", "dynamodb:putitem", "dynamodb:updateitem", "dynamodb:query");
        // The admin function reads (the health report scans), writes, and queries the lookup indexes.
        assertThat(IamPolicies.actions(template.functionHandledBy(com.tokenwallet.admin.AdminHandler.class)))
                .contains("dynamodb:getitem", "dynamodb:query", "dynamodb:scan", "dynamodb:putitem", "dynamodb:updateitem");
        // Every function that writes may send the balance events its writes cause; the read-only one may not.
        for (Class<?> writer : List.of(DebitHandler.class, com.tokenwallet.refund.RefundHandler.class,
                com.tokenwallet.refund.HoldExpiryHandler.class, com.tokenwallet.quotareset.QuotaResetHandler.class,
                com.tokenwallet.admin.AdminHandler.class, com.tokenwallet.checkout.CheckoutHandler.class,
                com.tokenwallet.stripewebhook.StripeWebhookHandler.class)) {
            assertThat(IamPolicies.actions(template.functionHandledBy(writer))).as(writer.getSimpleName()).contains("events:putevents");
        }
        assertThat(IamPolicies.actions(template.functionHandledBy(CheckHandler.class))).doesNotContain("events:putevents");
        // The reset scans a segment of the index CalendarAccounts (keys), reads the page's accounts (BatchGetItem),
        // rolls them over (a transaction: PutItem, UpdateItem) and re-reads one after a conflict (GetItem). It
        // invokes nothing.
        assertThat(IamPolicies.actions(template.functionHandledBy(com.tokenwallet.quotareset.QuotaResetHandler.class)))
                .contains("dynamodb:scan", "dynamodb:batchgetitem", "dynamodb:getitem", "dynamodb:putitem", "dynamodb:updateitem")
                .doesNotContain("lambda:invokefunction");
    }

    static Stream<Arguments> overprivilegedCopies() {
        String[] check = {"Resources", "CheckFunction", "Properties"};
        String[] debit = {"Resources", "DebitFunction", "Properties"};
        String[] reset = {"Resources", "QuotaResetFunction", "Properties"};
        String ownArn = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${AWS::StackName}-quota-reset:live";
        TemplateCheck reads = LeastPrivilegeTest::checkFunctionBeyondReading;
        TemplateCheck debits = LeastPrivilegeTest::debitFunctionOverreach;
        TemplateCheck table = LeastPrivilegeTest::statementsBeyondTheWalletTable;
        Map<String, Object> tableRef = Map.of("TableName", Map.of("Ref", "WalletTable"));
        return Stream.of(
                overprivileged("the check function with DynamoDBCrudPolicy", reads,
                        t -> at(t, check).put("Policies", List.of(Map.of("DynamoDBCrudPolicy", tableRef)))),
                overprivileged("the check function with an inline PutItem", reads,
                        t -> at(t, check).put("Policies", List.of(Map.of("DynamoDBReadPolicy", tableRef),
                                statement("dynamodb:PutItem", Map.of("Fn::GetAtt", List.of("WalletTable", "Arn")))))),
                overprivileged("the check function with a managed policy", reads,
                        t -> at(t, check).put("Policies", List.of("AmazonDynamoDBReadOnlyAccess"))),
                overprivileged("the debit function with DeleteItem", debits, t -> addDebitAction(t, "dynamodb:DeleteItem")),
                overprivileged("the debit function with Scan", debits, t -> addDebitAction(t, "dynamodb:Scan")),
                overprivileged("the debit function with UpdateTable", debits, t -> addDebitAction(t, "dynamodb:UpdateTable")),
                overprivileged("the debit function with dynamodb:*", debits, t -> addDebitAction(t, "dynamodb:*")),
                overprivileged("the debit function with dynamodb:Put*", debits, t -> addDebitAction(t, "dynamodb:Put*")),
                overprivileged("the debit function with DynamoDBCrudPolicy", debits,
                        t -> at(t, debit).put("Policies", List.of(Map.of("DynamoDBCrudPolicy", tableRef)))),
                overprivileged("a statement on every resource", table,
                        t -> at(t, debit).put("Policies", List.of(statement("dynamodb:GetItem", "*")))),
                overprivileged("a read policy on another table", table,
                        t -> at(t, check).put("Policies", List.of(Map.of("DynamoDBReadPolicy", Map.of("TableName", "other"))))),
                overprivileged("a function with its own Role", table, t -> at(t, debit).put("Role", "arn:aws:iam::1:role/admin")),
                overprivileged("PutEvents on another bus", table, t -> at(t, debit).put("Policies", List.of(
                        Map.of(EVENTS_POLICY, Map.of("EventBusName", "default"))))),
                overprivileged("the quota reset invoking every function", table,
                        t -> at(t, reset).put("Policies", List.of(statement("lambda:InvokeFunction", "*")))),
                overprivileged("the quota reset invoking another function", table,
                        t -> at(t, reset).put("Policies", List.of(statement("lambda:InvokeFunction",
                                Map.of("Fn::Sub", ownArn.replace("quota-reset:live", "debit")))))),
                overprivileged("the quota reset with lambda:* on itself", table,
                        t -> at(t, reset).put("Policies", List.of(statement("lambda:*", Map.of("Fn::Sub", ownArn))))),
                overprivileged("the quota reset invoking itself", table,
                        t -> at(t, reset).put("Policies", List.of(statement("lambda:InvokeFunction", Map.of("Fn::Sub", ownArn))))),
                overprivileged("the debit function invoking the quota reset", table,
                        t -> at(t, debit).put("Policies", List.of(statement("lambda:InvokeFunction", Map.of("Fn::Sub", ownArn))))));
    }

    private static Map<String, Object> statement(String action, Object resource) {
        return Map.of("Statement", List.of(Map.of("Effect", "Allow", "Action", List.of(action), "Resource", resource)));
    }

    @SuppressWarnings("unchecked")
    private static void addDebitAction(Map<String, Object> tree, String action) {
        List<Object> policies = (List<Object>) at(tree, "Resources", "DebitFunction", "Properties").get("Policies");
        Map<String, Object> document = SamTemplate.map(policies.getFirst(), "DebitFunction.Policies[0]");
        Map<String, Object> statement = SamTemplate.map(((List<Object>) document.get("Statement")).getFirst(), "Statement[0]");
        ((List<Object>) statement.get("Action")).add(action);
    }

    private static Arguments overprivileged(String mistake, TemplateCheck check, Consumer<Map<String, Object>> change) {
        return Arguments.of(mistake, check, change);
    }

    @ParameterizedTest(name = "catches {0}")
    @MethodSource("overprivilegedCopies")
    void theChecks_catchAnOverprivilegedCopy(String mistake, TemplateCheck check, Consumer<Map<String, Object>> change) {
        Map<String, Object> tree = SamTemplate.load().tree();
        change.accept(tree);

        assertThat(check.run(SamTemplate.of(tree))).as("a template with %s", mistake).isNotEmpty();
    }
}
