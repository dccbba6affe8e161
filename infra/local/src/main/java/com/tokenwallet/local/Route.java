package com.tokenwallet.local;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP API route of template.yaml: {@code METHOD /path/{param}}, the function's handler class, and what the
 * JWT authorizer demands (a valid token, and at least one of {@code scopes} when the list is not empty).
 *
 * @param method     GET, POST, ... or ANY
 * @param path       the path template, with {@code {name}} and a final greedy {@code {name+}} parameters
 * @param authorized whether a JWT authorizer guards the route ({@code Authorizer: NONE} turns it off)
 * @param throttle   the route's throttling in the template (its HttpApi's RouteSettings or DefaultRouteSettings),
 *                   or null when the template sets none
 */
public record Route(String method, String path, String handlerClass, String function, boolean authorized, List<String> scopes,
                    RateLimit throttle) {

    /** Segment kinds, in the order API Gateway prefers them when several routes match a path. */
    private static final int GREEDY = 0;
    private static final int PARAMETER = 1;
    private static final int LITERAL = 2;

    public Route {
        scopes = List.copyOf(scopes);
        if (!path.startsWith("/")) {
            throw new IllegalStateException("route path must start with '/': " + path);
        }
        List<String> segments = segments(path);
        for (int i = 0; i < segments.size(); i++) {
            if (kind(segments.get(i)) == GREEDY && i != segments.size() - 1) {
                throw new IllegalStateException("a greedy path parameter must be the last segment: " + path);
            }
        }
    }

    /** A route without throttling. */
    public Route(String method, String path, String handlerClass, String function, boolean authorized, List<String> scopes) {
        this(method, path, handlerClass, function, authorized, scopes, null);
    }

    /** The route key API Gateway puts in the event, e.g. {@code GET /v1/accounts/{accountId}/balance}. */
    public String routeKey() {
        return method + " " + path;
    }

    public boolean acceptsMethod(String requestMethod) {
        return method.equals("ANY") || method.equals(requestMethod);
    }

    /**
     * The decoded path parameters when the raw (still percent-encoded) request path matches this route's
     * template; each segment is decoded on its own, so an encoded {@code %2F} stays inside its parameter.
     */
    public Optional<Map<String, String>> match(String rawPath) {
        List<String> template = segments(path);
        List<String> actual = segments(rawPath);
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String segment = template.get(i);
            int kind = kind(segment);
            if (kind == GREEDY) {
                if (i >= actual.size()) {
                    return Optional.empty();
                }
                List<String> rest = new ArrayList<>();
                for (String s : actual.subList(i, actual.size())) {
                    rest.add(decode(s));
                }
                if (String.join("", rest).isEmpty()) {
                    return Optional.empty();
                }
                parameters.put(segment.substring(1, segment.length() - 2), String.join("/", rest));
                return Optional.of(parameters);
            }
            if (i >= actual.size()) {
                return Optional.empty();
            }
            String value = actual.get(i);
            if (kind == PARAMETER) {
                if (value.isEmpty()) {
                    return Optional.empty();
                }
                parameters.put(segment.substring(1, segment.length() - 1), decode(value));
            } else if (!segment.equals(decode(value))) {
                return Optional.empty();
            }
        }
        return actual.size() == template.size() ? Optional.of(parameters) : Optional.empty();
    }

    /**
     * Orders routes that match the same path as API Gateway does: literal segments before parameters before a
     * greedy parameter, compared from the left; a positive result means this route is more specific.
     */
    public int compareSpecificity(Route other) {
        List<String> mine = segments(path);
        List<String> theirs = segments(other.path);
        for (int i = 0; i < Math.min(mine.size(), theirs.size()); i++) {
            int byKind = Integer.compare(kind(mine.get(i)), kind(theirs.get(i)));
            if (byKind != 0) {
                return byKind;
            }
        }
        int byLength = Integer.compare(mine.size(), theirs.size());
        if (byLength != 0) {
            return byLength;
        }
        // The same path: a route for the exact method beats ANY.
        return Boolean.compare(!method.equals("ANY"), !other.method.equals("ANY"));
    }

    private static List<String> segments(String path) {
        // "/a/b" -> [a, b]; "/" -> [""]; a trailing slash keeps its empty segment, as it is another path.
        return List.of(path.substring(1).split("/", -1));
    }

    private static int kind(String segment) {
        if (segment.startsWith("{") && segment.endsWith("+}")) {
            return GREEDY;
        }
        if (segment.startsWith("{") && segment.endsWith("}")) {
            return PARAMETER;
        }
        return LITERAL;
    }

    /** Percent-decoding as in a URI path ('+' stays '+'); a malformed escape leaves the segment as it came. */
    static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    return segment;
                }
                try {
                    bytes.write(HexFormat.fromHexDigits(segment, i + 1, i + 3));
                } catch (IllegalArgumentException e) {
                    return segment;
                }
                i += 2;
            } else {
                int codePoint = segment.codePointAt(i);
                byte[] encoded = Character.toString(codePoint).getBytes(StandardCharsets.UTF_8);
                bytes.write(encoded, 0, encoded.length);
                i += Character.charCount(codePoint) - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return segment;
        }
    }
}
