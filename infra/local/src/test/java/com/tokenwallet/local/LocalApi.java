package com.tokenwallet.local;

import com.tokenwallet.domain.json.StrictJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A small HTTP client of a running {@link LocalServer}, over real HTTP to 127.0.0.1. */
final class LocalApi {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final String baseUrl;

    LocalApi(String baseUrl) {
        if (!baseUrl.startsWith("http://127.0.0.1:")) {
            throw new IllegalArgumentException("tests only talk to 127.0.0.1, not " + baseUrl);
        }
        this.baseUrl = baseUrl;
    }

    /** A response: status, headers (first value, by lower-case name) and body. */
    record Reply(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        Map<String, Object> json() {
            try {
                return StrictJson.object(body);
            } catch (IOException e) {
                throw new AssertionError("not a JSON object (status " + status + "): " + body, e);
            }
        }
    }

    Request request(String method, String path) {
        return new Request(method, path);
    }

    Reply get(String path, String token) {
        return request("GET", path).token(token).send();
    }

    final class Request {
        private final String method;
        private final String path;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte[] body;

        private Request(String method, String path) {
            this.method = method;
            this.path = path;
        }

        Request token(String token) {
            if (token != null) {
                headers.put("Authorization", "Bearer " + token);
            }
            return this;
        }

        Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Request idempotencyKey(String key) {
            return header("Idempotency-Key", key);
        }

        Request json(String json) {
            headers.put("Content-Type", "application/json");
            body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return this;
        }

        Request bytes(byte[] bytes, String contentType) {
            headers.put("Content-Type", contentType);
            body = bytes;
            return this;
        }

        Reply send() {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(builder::header);
            try {
                HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                Map<String, String> first = new LinkedHashMap<>();
                response.headers().map().forEach((name, values) -> first.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
                return new Reply(response.statusCode(), first, response.body());
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + path + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}
