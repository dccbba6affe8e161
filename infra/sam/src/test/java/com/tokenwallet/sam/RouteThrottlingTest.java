package com.tokenwallet.sam;

import static com.tokenwallet.sam.SamTemplate.optionalMap;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route is throttled on purpose (put a limit on everything): the HttpApi has DefaultRouteSettings, and a
 * RouteSettings entry for each route key with a positive rate and burst; no entry names a route that does not
 * exist (CloudFormation refuses a stage whose route settings name an unknown route). The local runner applies the
 * same numbers (infra/local ThrottlingTest).
 */
class RouteThrottlingTest {
    static final String API = "WalletHttpApi";
    static final String RATE = "ThrottlingRateLimit";
    static final String BURST = "ThrottlingBurstLimit";

    /**
     * Each route's limits are in the RouteSettings of the HttpApi it is on (its ApiId), each such API has
     * DefaultRouteSettings, and no RouteSettings entry names a route that is not on its API.
     */
    static List<String> throttlingProblems(SamTemplate template) {
        List<String> problems = new ArrayList<>();
        java.util.Map<String, Set<String>> routesByApi = new java.util.TreeMap<>();
        routesByApi.put(API, new LinkedHashSet<>());
        template.functions().forEach(f -> f.httpApiEvents().forEach(e -> routesByApi
                .computeIfAbsent(SamTemplate.ref(e.apiId()).orElse("(no ApiId)"), k -> new LinkedHashSet<>()).add(e.routeKey())));
        routesByApi.forEach((api, routes) -> {
            Map<String, Object> properties = optionalMap(template.resource(api).get("Properties"), api + ".Properties");
            Map<String, Object> defaults = optionalMap(properties.get("DefaultRouteSettings"), api + ".DefaultRouteSettings");
            problems.addAll(limitProblems(api + ".DefaultRouteSettings", defaults));
            Map<String, Object> perRoute = optionalMap(properties.get("RouteSettings"), api + ".RouteSettings");
            for (String route : routes) {
                if (!perRoute.containsKey(route)) {
                    problems.add(route + " has no entry in " + api + ".RouteSettings: give it its own rate and burst");
                } else {
                    problems.addAll(limitProblems(api + ".RouteSettings[" + route + "]", optionalMap(perRoute.get(route), route)));
                }
            }
            perRoute.keySet().stream().filter(key -> !routes.contains(key))
                    .forEach(key -> problems.add(api + ".RouteSettings names " + key + ", which is no route of that API"));
        });
        return problems;
    }

    private static List<String> limitProblems(String where, Map<String, Object> settings) {
        List<String> problems = new ArrayList<>();
        if (!(settings.get(RATE) instanceof Number rate) || rate.doubleValue() <= 0) {
            problems.add(where + "." + RATE + " should be a positive number of requests per second, not " + settings.get(RATE));
        }
        if (!(settings.get(BURST) instanceof Integer burst) || burst < 1) {
            problems.add(where + "." + BURST + " should be a positive whole number of requests, not " + settings.get(BURST));
        }
        return problems;
    }

    @Test
    void everyRoute_hasItsOwnRateAndBurst_andTheApiADefault() {
        assertThat(throttlingProblems(SamTemplate.load())).isEmpty();
    }

    static Stream<Arguments> unthrottledCopies() {
        String[] settings = {"Resources", API, "Properties", "RouteSettings"};
        String[] api = {"Resources", API, "Properties"};
        String debits = "POST /v1/accounts/{accountId}/debits";
        return Stream.of(
                unthrottled("a route without settings", t -> SamTemplate.at(t, settings).remove(debits)),
                unthrottled("a route without a burst", t -> SamTemplate.at(t, settings).put(debits, Map.of(RATE, 10))),
                unthrottled("a zero rate", t -> SamTemplate.at(t, settings).put(debits, Map.of(RATE, 0, BURST, 10))),
                unthrottled("settings for a route that does not exist",
                        t -> SamTemplate.at(t, settings).put("DELETE /v1/catalog", Map.of(RATE, 1, BURST, 1))),
                unthrottled("no default", t -> SamTemplate.at(t, api).remove("DefaultRouteSettings")),
                unthrottled("no route settings at all", t -> SamTemplate.at(t, api).remove("RouteSettings")));
    }

    private static Arguments unthrottled(String mistake, Consumer<Map<String, Object>> change) {
        return Arguments.of(mistake, change);
    }

    @ParameterizedTest(name = "catches {0}")
    @MethodSource("unthrottledCopies")
    void theCheck_catchesAnUnthrottledCopy(String mistake, Consumer<Map<String, Object>> change) {
        Map<String, Object> tree = SamTemplate.load().tree();
        change.accept(tree);

        TemplateCheck check = RouteThrottlingTest::throttlingProblems;
        assertThat(check.run(SamTemplate.of(tree))).as("a template with %s", mistake).isNotEmpty();
        assertThat(TemplateSchemaTest.validate(tree)).as("still a valid SAM template: only the throttling check sees it").isEmpty();
    }
}
