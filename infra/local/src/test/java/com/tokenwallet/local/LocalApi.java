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
import java.util.List;
import java.util.Map;

/**
 * A small HTTP client of a running {@link LocalServer}, over real HTTP to 127.0.0.1, that holds every exchange to
 * the API's contract: each request it sends and each response it receives is validated against the OpenAPI
 * document ({@link ApiContract}), and a finding fails the test with the validator's words. A test that sends a
 * request outside the contract on purpose (no token, a body too large, a wrong media type) says so with
 * {@link Request#offContract}; the response is checked all the same. The runner's local-only routes
 * ({@code /_local/...}, {@code /openapi.yaml}, the admin page's files under {@code /admin-ui}) are outside the
 * document, and so not checked.
 */
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
        private String offContract;

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

        /** This request breaks the contract on purpose ({@code why} says how): it is sent unvalidated. */
        Request offContract(String why) {
            offContract = why;
            return this;
        }

        Reply send() {
            boolean adminPage = path.equals(AdminUi.PREFIX) || path.startsWith(AdminUi.PREFIX + "/")
                    || path.equals(AdminUi.WALLET_JS_PREFIX) || path.startsWith(AdminUi.WALLET_JS_PREFIX + "/");
            boolean contract = !path.startsWith(HttpGateway.SCHEDULES_PREFIX) && !path.equals(HttpGateway.OPENAPI_PATH) && !adminPage;
            if (contract && offContract == null) {
                List<String> problems = ApiContract.BUNDLED.requestProblems(method, path, headers, body);
                if (!problems.isEmpty()) {
                    throw new AssertionError("The request " + method + " " + path + " breaks the API document (infra/openapi.yaml); "
                            + "fix the test, the document, or mark it offContract(why):\n  " + String.join("\n  ", problems));
                }
            }
            Reply reply = exchange();
            if (contract) {
                checkResponse(reply);
            }
            return reply;
        }

        /**
         * The response must be one the document gives this operation; a request to an operation the document does
         * not have must have been refused by the gateway as an unknown route.
         */
        private void checkResponse(Reply reply) {
            List<String> problems = ApiContract.BUNDLED.responseProblems(method, path, reply.status(), reply.headers(), reply.body());
            if (ApiContract.isUnknownOperation(problems)) {
                Object code = reply.status() == 404 || reply.status() == 405 ? reply.json().get("code") : null;
                if (!"route_not_found".equals(code) && !"method_not_allowed".equals(code)) {
                    throw new AssertionError(method + " " + path + " is not in the API document (infra/openapi.yaml), yet the runner "
                            + "answered " + reply.status() + ": " + reply.body());
                }
                return;
            }
            if (!problems.isEmpty()) {
                throw new AssertionError("The response to " + method + " " + path + " breaks the API document (infra/openapi.yaml):\n  "
                        + String.join("\n  ", problems) + "\nstatus " + reply.status() + ", headers " + reply.headers()
                        + ", body " + reply.body());
            }
        }

        private Reply exchange() {
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
