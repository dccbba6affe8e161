package com.tokenwallet.packaged;

import com.tokenwallet.domain.json.StrictJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The events the functions receive, as JSON, built from the real shapes in infra/events: an API Gateway HTTP API
 * (payload 2.0) request with its JWT authorizer context, and an EventBridge scheduled event.
 */
final class Events {
    private final Path eventsDir;

    Events(Path repositoryRoot) {
        this.eventsDir = repositoryRoot.resolve("infra/events");
    }

    /** An HTTP request builder for a route key such as {@code POST /v1/accounts/{accountId}/debits}. */
    Http http(String routeKey) {
        return new Http(routeKey);
    }

    /** The scheduled event EventBridge delivers (the hold sweep's rule, the quota reset's schedule). */
    String scheduled(String ruleArn) {
        Map<String, Object> event = read("eventbridge-scheduled-event.json");
        event.put("id", UUID.randomUUID().toString());
        event.put("time", Instant.now().toString().replaceAll("\\.\\d+Z$", "Z"));
        event.put("region", "us-east-1");
        event.put("resources", List.of(ruleArn));
        return StrictJson.write(event);
    }

    private Map<String, Object> read(String file) {
        try {
            return StrictJson.object(Files.readString(eventsDir.resolve(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    final class Http {
        private final String routeKey;
        private final Map<String, String> pathParameters = new LinkedHashMap<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String body;
        private String subject;
        private List<String> scopes;

        private Http(String routeKey) {
            this.routeKey = routeKey;
        }

        Http path(String name, String value) {
            pathParameters.put(name, value);
            return this;
        }

        /** A header; API Gateway passes header names in lower case. */
        Http header(String name, String value) {
            headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
            return this;
        }

        Http json(String json) {
            headers.putIfAbsent("content-type", "application/json");
            this.body = json;
            return this;
        }

        /** The caller's token as the JWT authorizer passes it on: its sub and scopes. */
        Http caller(String sub, String... scopeList) {
            this.subject = sub;
            this.scopes = List.of(scopeList);
            return this;
        }

        @SuppressWarnings("unchecked")
        String build() {
            Map<String, Object> event = read("apigw-http-v2-event.json");
            String[] parts = routeKey.split(" ", 2);
            String path = parts[1];
            for (var p : pathParameters.entrySet()) {
                path = path.replace("{" + p.getKey() + "}", p.getValue());
            }
            Map<String, String> allHeaders = new LinkedHashMap<>(headers);
            allHeaders.put("host", "id.execute-api.us-east-1.amazonaws.com");
            event.put("routeKey", routeKey);
            event.put("rawPath", path);
            event.put("rawQueryString", "");
            event.remove("cookies");
            event.remove("queryStringParameters");
            event.remove("stageVariables");
            event.put("headers", allHeaders);
            if (pathParameters.isEmpty()) {
                event.remove("pathParameters");
            } else {
                event.put("pathParameters", new LinkedHashMap<>(pathParameters));
            }
            if (body == null) {
                event.remove("body");
            } else {
                event.put("body", body);
            }
            event.put("isBase64Encoded", false);
            Map<String, Object> context = (Map<String, Object>) event.get("requestContext");
            context.put("routeKey", routeKey);
            context.put("requestId", UUID.randomUUID().toString());
            context.put("timeEpoch", System.currentTimeMillis());
            Map<String, Object> http = (Map<String, Object>) context.get("http");
            http.put("method", parts[0]);
            http.put("path", path);
            http.put("sourceIp", "203.0.113.7");
            if (subject == null) {
                context.remove("authorizer");
            } else {
                Map<String, Object> claims = new LinkedHashMap<>();
                claims.put("sub", subject);
                claims.put("scope", String.join(" ", scopes));
                claims.put("iss", "https://issuer.example.com");
                claims.put("aud", "token-wallet");
                Map<String, Object> jwt = new LinkedHashMap<>();
                jwt.put("claims", claims);
                jwt.put("scopes", scopes);
                context.put("authorizer", Map.of("jwt", jwt));
            }
            return StrictJson.write(event);
        }
    }
}
