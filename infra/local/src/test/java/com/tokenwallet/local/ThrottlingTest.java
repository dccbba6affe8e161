package com.tokenwallet.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runner throttles each route as API Gateway would, with the template's numbers: a token bucket per
 * route, 429 {@code throttled} in problem+json with Retry-After past it.
 */
class ThrottlingTest {

    @TempDir
    Path home;

    @Test
    void aBucket_letsItsBurstThrough_thenOneRequestPerRefill() {
        AtomicLong nanos = new AtomicLong(1_000);
        TokenBucket bucket = new TokenBucket(new RateLimit(2, 3), nanos::get);

        assertThat(List.of(bucket.tryTake(), bucket.tryTake(), bucket.tryTake())).containsOnly(0L);
        assertThat(bucket.tryTake()).as("empty: half a second until the next token").isEqualTo(500_000_000L);
        nanos.addAndGet(250_000_000L);
        assertThat(bucket.tryTake()).isEqualTo(250_000_000L);
        nanos.addAndGet(250_000_000L);
        assertThat(bucket.tryTake()).isZero();
        nanos.addAndGet(Duration.ofMinutes(1).toNanos());
        assertThat(List.of(bucket.tryTake(), bucket.tryTake(), bucket.tryTake())).as("refilled up to the burst only").containsOnly(0L);
        assertThat(bucket.tryTake()).isPositive();
    }

    @Test
    void theBundledTemplate_throttlesEveryRoute_withItsOwnNumbers() {
        Map<String, RateLimit> limits = TemplateRoutes.bundled().stream().collect(Collectors.toMap(Route::routeKey, Route::throttle));

        assertThat(limits).doesNotContainValue(null);
        assertThat(limits).containsEntry("POST /v1/accounts/{accountId}/debits", new RateLimit(300, 600))
                .containsEntry("GET /v1/accounts/{accountId}/balance", new RateLimit(400, 800))
                .containsEntry("POST /v1/accounts/{accountId}/refunds", new RateLimit(50, 100));
    }

    @Test
    void aRoutesSettings_winOverTheDefault_settingBySetting_andGlobalsComeLast() {
        String template = """
                Globals:
                  HttpApi:
                    DefaultRouteSettings: { ThrottlingRateLimit: 1, ThrottlingBurstLimit: 2 }
                Resources:
                  Api:
                    Type: AWS::Serverless::HttpApi
                    Properties:
                      DefaultRouteSettings: { ThrottlingRateLimit: 10.5, ThrottlingBurstLimit: 20 }
                      RouteSettings:
                        "GET /a": { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 }
                        "GET /b": { ThrottlingBurstLimit: 7 }
                  Other:
                    Type: AWS::Serverless::HttpApi
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: x.Y::handleRequest
                      Events:
                        A: { Type: HttpApi, Properties: { ApiId: !Ref Api, Method: GET, Path: /a } }
                        B: { Type: HttpApi, Properties: { ApiId: !Ref Api, Method: GET, Path: /b } }
                        C: { Type: HttpApi, Properties: { ApiId: !Ref Api, Method: GET, Path: /c } }
                        D: { Type: HttpApi, Properties: { ApiId: !Ref Other, Method: GET, Path: /d } }
                """;

        Map<String, RateLimit> limits = TemplateRoutes.parse(new StringReader(template)).stream()
                .collect(Collectors.toMap(Route::routeKey, Route::throttle));

        assertThat(limits).containsExactlyInAnyOrderEntriesOf(Map.of(
                "GET /a", new RateLimit(100, 200),
                "GET /b", new RateLimit(10.5, 7),
                "GET /c", new RateLimit(10.5, 20),
                "GET /d", new RateLimit(1, 2)));
    }

    @Test
    void aThrottlingSettingThatIsNotANumber_isRefusedWithItsRoute() {
        String template = """
                Resources:
                  Api:
                    Type: AWS::Serverless::HttpApi
                    Properties:
                      DefaultRouteSettings: { ThrottlingRateLimit: !Ref Rate, ThrottlingBurstLimit: 5 }
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: x.Y::handleRequest
                      Events:
                        A: { Type: HttpApi, Properties: { ApiId: !Ref Api, Method: GET, Path: /a } }
                """;

        assertThatThrownBy(() -> TemplateRoutes.parse(new StringReader(template))).hasMessageContaining("GET /a")
                .hasMessageContaining("ThrottlingRateLimit");
    }

    @Test
    void pastItsBurst_aRouteAnswers429WithRetryAfter_whileOtherRoutesStillGo() throws Exception {
        Path key = home.resolve("key");
        try (LocalServer server = LocalServer.start(LocalServer.Options.inMemory(0, key).withThrottling(new RateLimit(1, 3)))) {
            LocalApi api = new LocalApi(server.url());
            String reader = server.tokens().mint("throttled", List.of("wallet:read"), Duration.ofMinutes(5));

            // Bounded: at most 20 requests, or 10 seconds; the bucket holds 3 and refills one a second.
            int admitted = 0;
            LocalApi.Reply refused = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            for (int i = 0; i < 20 && System.nanoTime() < deadline; i++) {
                LocalApi.Reply reply = api.get("/v1/catalog", reader);
                if (reply.status() == 429) {
                    refused = reply;
                    break;
                }
                assertThat(reply.status()).isEqualTo(200);
                admitted++;
            }

            assertThat(refused).as("throttled within 20 requests").isNotNull();
            assertThat(admitted).as("the burst, and at most a refill or two while the loop ran").isBetween(3, 5);
            assertThat(refused.header("content-type")).startsWith("application/problem+json");
            assertThat(refused.json()).containsEntry("code", "throttled").containsEntry("status", 429)
                    .containsEntry("type", "https://tokenwallet.dev/problems/throttled");
            assertThat(refused.json().get("detail").toString()).contains("GET /v1/catalog");
            assertThat(refused.header("retry-after")).isEqualTo("1");

            LocalApi.Reply otherRoute = api.get("/v1/accounts/throttled/balance", reader);
            assertThat(otherRoute.status()).as("each route has its own bucket").isEqualTo(404);

            Thread.sleep(Duration.ofSeconds(Long.parseLong(refused.header("retry-after"))).toMillis() + 100);
            assertThat(api.get("/v1/catalog", reader).status()).as("admitted again after Retry-After").isEqualTo(200);
        }
    }
}
