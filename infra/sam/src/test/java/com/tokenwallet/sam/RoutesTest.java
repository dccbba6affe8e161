package com.tokenwallet.sam;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The API Gateway routes in template.yaml and the routes each handler serves are the same sets. A route only in
 * the template answers 404 route_not_found from the handler; a route only in the handler is unreachable. Every
 * handler publishes its routes as {@code public static final Set<String> ROUTES}, so a new function is covered
 * without touching this test.
 */
class RoutesTest {

    /** The handler's ROUTES, read by reflection; empty for a handler that has none (one that is not an HTTP function). */
    static Optional<Set<String>> handlerRoutes(String handlerClass) {
        try {
            Class<?> handler = Class.forName(handlerClass, true, RoutesTest.class.getClassLoader());
            Field field = handler.getField("ROUTES");
            if (!Modifier.isStatic(field.getModifiers()) || !Set.class.isAssignableFrom(field.getType())) {
                throw new AssertionError(handlerClass + ".ROUTES should be a public static Set<String>");
            }
            Set<?> routes = (Set<?>) field.get(null);
            return Optional.of(routes.stream().map(String::valueOf).collect(Collectors.toCollection(TreeSet::new)));
        } catch (ClassNotFoundException e) {
            throw new AssertionError(handlerClass + " is not on the classpath", e);
        } catch (NoSuchFieldException e) {
            return Optional.empty();
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    /** Functions whose HttpApi routes differ from their handler's ROUTES. */
    static List<String> routeMismatches(SamTemplate template) {
        List<String> problems = new ArrayList<>();
        for (SamTemplate.Function f : template.functions()) {
            Set<String> deployed = f.httpApiEvents().stream().map(SamTemplate.HttpApiEvent::routeKey)
                    .collect(Collectors.toCollection(TreeSet::new));
            Optional<Set<String>> routes = handlerRoutes(f.handlerClass());
            if (routes.isEmpty()) {
                if (!deployed.isEmpty()) {
                    problems.add(f.logicalId() + " has HttpApi events " + deployed + ", but " + f.handlerClass()
                            + " has no public static ROUTES to compare them with");
                }
                continue;
            }
            Set<String> served = routes.get();
            Set<String> onlyDeployed = new TreeSet<>(deployed);
            onlyDeployed.removeAll(served);
            Set<String> onlyServed = new TreeSet<>(served);
            onlyServed.removeAll(deployed);
            if (!onlyDeployed.isEmpty()) {
                problems.add(f.logicalId() + " routes " + onlyDeployed + " to " + f.handlerClass() + ", which does not serve them");
            }
            if (!onlyServed.isEmpty()) {
                problems.add(f.handlerClass() + " serves " + onlyServed + ", but " + f.logicalId() + " has no HttpApi event for them");
            }
        }
        return problems;
    }

    /** Routes declared more than once (API Gateway would refuse the second, or one function would shadow another). */
    static List<String> duplicateRoutes(SamTemplate template) {
        Map<String, List<String>> owners = new HashMap<>();
        for (SamTemplate.Function f : template.functions()) {
            for (SamTemplate.HttpApiEvent event : f.httpApiEvents()) {
                owners.computeIfAbsent(event.routeKey(), k -> new ArrayList<>()).add(event.toString());
            }
        }
        return owners.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .map(e -> e.getKey() + " is declared by " + e.getValue()).sorted().toList();
    }

    @Test
    void everyFunctionsHttpRoutes_equalItsHandlersRoutes() {
        SamTemplate template = SamTemplate.load();

        assertThat(template.functions().stream().flatMap(f -> f.httpApiEvents().stream())).as("HttpApi events").isNotEmpty();
        assertThat(routeMismatches(template)).isEmpty();
    }

    @Test
    void noRoute_isDeclaredTwice() {
        assertThat(duplicateRoutes(SamTemplate.load())).isEmpty();
    }

    static Stream<Arguments> mismatchedCopies() {
        String[] checkEvents = {"Resources", "CheckFunction", "Properties", "Events"};
        String[] debitEvents = {"Resources", "DebitFunction", "Properties", "Events"};
        TemplateCheck mismatch = RoutesTest::routeMismatches;
        TemplateCheck duplicates = RoutesTest::duplicateRoutes;
        return Stream.of(
                mismatched("a route the handler does not serve", mismatch,
                        t -> at(t, checkEvents, "Catalog", "Properties").put("Path", "/v1/catalogue")),
                mismatched("a route with the wrong method", mismatch,
                        t -> at(t, debitEvents, "OpenAccount", "Properties").put("Method", "POST")),
                mismatched("a served route left out", mismatch, t -> at(t, checkEvents).remove("Transactions")),
                mismatched("an HTTP function left with no routes", mismatch,
                        t -> SamTemplate.at(t, "Resources", "DebitFunction", "Properties").remove("Events")),
                mismatched("the same route on two functions", duplicates,
                        t -> at(t, debitEvents).put("Balance", at(t, checkEvents, "Balance"))));
    }

    private static Map<String, Object> at(Map<String, Object> tree, String[] path, String... more) {
        return SamTemplate.at(tree, Stream.concat(Stream.of(path), Stream.of(more)).toArray(String[]::new));
    }

    private static Arguments mismatched(String mistake, TemplateCheck check, Consumer<Map<String, Object>> change) {
        return Arguments.of(mistake, check, change);
    }

    @ParameterizedTest(name = "catches {0}")
    @MethodSource("mismatchedCopies")
    void theChecks_catchAMismatchedCopy(String mistake, TemplateCheck check, Consumer<Map<String, Object>> change) {
        Map<String, Object> tree = SamTemplate.load().tree();
        change.accept(tree);

        assertThat(check.run(SamTemplate.of(tree))).as("a template with %s", mistake).isNotEmpty();
    }
}
