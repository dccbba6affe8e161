package com.tokenwallet.sam;

import static com.tokenwallet.sam.SamTemplate.at;
import static com.tokenwallet.sam.SamTemplate.list;
import static com.tokenwallet.sam.SamTemplate.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 item 5: the arrangement that keeps anonymous floods off the limits that authenticated callers and Stripe
 * need. The webhook is on an HttpApi of its own, and a CloudFront distribution with a WAF web ACL stands in front of
 * both APIs, with rate-based rules per source address for anonymous traffic and per caller (bearer token).
 */
class EdgeTest {
    @Test
    void theWebhook_isOnAnApiOfItsOwn_withItsOwnLimits() {
        SamTemplate template = SamTemplate.load();
        SamTemplate.HttpApiEvent webhook = template.functions().stream().flatMap(f -> f.httpApiEvents().stream())
                .filter(e -> e.routeKey().equals("POST /webhooks/stripe")).findFirst().orElseThrow();
        assertThat(SamTemplate.ref(webhook.apiId())).contains("StripeWebhookApi");
        assertThat(template.functions().stream().flatMap(f -> f.httpApiEvents().stream())
                .filter(e -> !e.routeKey().equals("POST /webhooks/stripe")).map(e -> SamTemplate.ref(e.apiId())))
                .containsOnly(Optional.of("WalletHttpApi"));
        assertThat(at(template.tree(), "Resources", "StripeWebhookApi", "Properties", "RouteSettings")).containsKey("POST /webhooks/stripe");
        assertThat(at(template.tree(), "Resources", "WalletHttpApi", "Properties", "RouteSettings")).doesNotContainKey("POST /webhooks/stripe");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aWafWebAcl_ratesAnonymousTrafficPerSource_andCallersEachOnTheirOwn_inFrontOfBothApis() {
        SamTemplate template = SamTemplate.load();
        Map<String, Object> acl = map(template.resource("WalletEdgeWebAcl").get("Properties"), "WalletEdgeWebAcl");
        assertThat(template.resource("WalletEdgeWebAcl")).containsEntry("Type", "AWS::WAFv2::WebACL");
        assertThat(acl).containsEntry("Scope", "CLOUDFRONT");
        Map<String, Map<String, Object>> rules = new java.util.LinkedHashMap<>();
        for (Object rule : list(acl.get("Rules"), "Rules")) {
            Map<String, Object> r = map(rule, "rule");
            rules.put((String) r.get("Name"), at(r, "Statement", "RateBasedStatement"));
            assertThat(at(r, "Action", "Block", "CustomResponse")).containsEntry("ResponseCode", 429);
        }
        assertThat(rules.get("AnonymousPerSource")).containsEntry("AggregateKeyType", "IP").containsEntry("Limit", 120)
                .containsKey("ScopeDownStatement");
        assertThat(rules.get("PerCaller")).containsEntry("AggregateKeyType", "CUSTOM_KEYS").containsEntry("Limit", 6000);
        assertThat(rules.get("PerSource")).containsEntry("AggregateKeyType", "IP");

        Map<String, Object> edge = at(template.tree(), "Resources", "WalletEdge", "Properties", "DistributionConfig");
        assertThat(edge.get("WebACLId")).isEqualTo(Map.of("Fn::GetAtt", List.of("WalletEdgeWebAcl", "Arn")));
        assertThat(list(edge.get("Origins"), "Origins").stream().map(o -> String.valueOf(map(o, "origin").get("DomainName"))))
                .anySatisfy(d -> assertThat(d).contains("WalletHttpApi")).anySatisfy(d -> assertThat(d).contains("StripeWebhookApi"));
        assertThat(list(edge.get("CacheBehaviors"), "CacheBehaviors")).anySatisfy(b -> assertThat((Map<String, Object>) b)
                .containsEntry("PathPattern", "/webhooks/stripe").containsEntry("TargetOriginId", "stripe-webhook-api"));
    }
}
