package com.tokenwallet.local;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Finds the route of a request the way API Gateway does: the most specific template whose method matches. */
public final class RouteTable {

    /** What a request's method and path lead to. */
    public sealed interface Resolution {
        /** A route, and the decoded path parameters (empty when the route has none). */
        record Found(Route route, Map<String, String> pathParameters) implements Resolution {
        }

        /** The path exists, but not for this method: {@code allowed} is the Allow header's list. */
        record MethodNotAllowed(List<String> allowed) implements Resolution {
        }

        record NotFound() implements Resolution {
        }
    }

    private final List<Route> routes;

    public RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
    }

    public List<Route> routes() {
        return routes;
    }

    public Resolution resolve(String method, String rawPath) {
        Resolution resolution = resolveExactly(method, rawPath);
        // HEAD is GET without the body (RFC 9110 section 9.3.2): a path with a GET route and no HEAD route of its own
        // is served by the GET route (the gateway writes no body); wherever GET is allowed, so is HEAD.
        if ("HEAD".equals(method) && resolution instanceof Resolution.MethodNotAllowed notAllowed && notAllowed.allowed().contains("GET")) {
            return resolveExactly("GET", rawPath);
        }
        if (resolution instanceof Resolution.MethodNotAllowed notAllowed && notAllowed.allowed().contains("GET")
                && !notAllowed.allowed().contains("HEAD")) {
            TreeSet<String> allowed = new TreeSet<>(notAllowed.allowed());
            allowed.add("HEAD");
            return new Resolution.MethodNotAllowed(List.copyOf(allowed));
        }
        return resolution;
    }

    private Resolution resolveExactly(String method, String rawPath) {
        Route best = null;
        Map<String, String> bestParameters = null;
        TreeSet<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Optional<Map<String, String>> parameters = route.match(rawPath);
            if (parameters.isEmpty()) {
                continue;
            }
            allowed.add(route.method());
            if (route.acceptsMethod(method) && (best == null || route.compareSpecificity(best) > 0)) {
                best = route;
                bestParameters = parameters.get();
            }
        }
        if (best != null) {
            return new Resolution.Found(best, Map.copyOf(bestParameters));
        }
        if (!allowed.isEmpty()) {
            return new Resolution.MethodNotAllowed(List.copyOf(allowed));
        }
        return new Resolution.NotFound();
    }
}
