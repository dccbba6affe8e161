package com.tokenwallet.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The routes come from template.yaml, short-form intrinsics and all, and resolve as API Gateway resolves them. */
class TemplateRoutesTest {

    @Test
    void bundledTemplate_routesEveryHttpApiEvent_toItsHandler_withItsScopes() {
        List<Route> routes = TemplateRoutes.bundled();

        assertThat(routes).extracting(Route::routeKey).contains(
                "GET /v1/catalog",
                "GET /v1/accounts/{accountId}/balance",
                "PUT /v1/accounts/{accountId}",
                "POST /v1/accounts/{accountId}/debits");
        Route debits = routes.stream().filter(r -> r.routeKey().equals("POST /v1/accounts/{accountId}/debits")).findFirst().orElseThrow();
        assertThat(debits.handlerClass()).isEqualTo("com.tokenwallet.debit.DebitHandler");
        assertThat(debits.scopes()).containsExactly("wallet:charge", "wallet:admin");
        assertThat(debits.authorized()).isTrue();
        // Every route but Stripe's webhook, which the function verifies by its signature, is behind the JWT authorizer.
        assertThat(routes).filteredOn(route -> !route.routeKey().equals("POST /webhooks/stripe"))
                .allSatisfy(route -> assertThat(route.authorized()).isTrue());
        assertThat(routes).filteredOn(route -> route.routeKey().equals("POST /webhooks/stripe"))
                .singleElement().satisfies(route -> assertThat(route.authorized()).isFalse());
    }

    @Test
    void shortFormIntrinsics_parse_andAuthorizerNone_opensARoute() {
        String template = """
                Globals:
                  HttpApi:
                    Auth:
                      DefaultAuthorizer: Jwt
                Resources:
                  Api:
                    Type: AWS::Serverless::HttpApi
                    Properties:
                      Name: !Sub "${AWS::StackName}-api"
                      Tags: { a: !If [IsProd, !Ref X, !GetAtt Y.Arn] }
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: com.example.Handler::handleRequest
                      Role: !GetAtt Role.Arn
                      Environment: { Variables: { T: !Join ["", [!Ref A, !Select [0, !Split [",", "a,b"]]]] } }
                      Events:
                        Hook:
                          Type: HttpApi
                          Properties: { ApiId: !Ref Api, Method: post, Path: /webhooks/stripe, Auth: { Authorizer: NONE } }
                        Read:
                          Type: HttpApi
                          Properties: { ApiId: !Ref Api, Method: GET, Path: "/things/{id}" }
                        Tick:
                          Type: Schedule
                          Properties: { Schedule: rate(1 day) }
                """;

        List<Route> routes = TemplateRoutes.parse(new StringReader(template));

        assertThat(routes).extracting(Route::routeKey).containsExactlyInAnyOrder("POST /webhooks/stripe", "GET /things/{id}");
        assertThat(routes).filteredOn(r -> r.path().equals("/webhooks/stripe")).singleElement()
                .satisfies(r -> assertThat(r.authorized()).isFalse());
        assertThat(routes).filteredOn(r -> r.path().equals("/things/{id}")).singleElement()
                .satisfies(r -> {
                    assertThat(r.authorized()).as("the default authorizer from Globals").isTrue();
                    assertThat(r.scopes()).isEmpty();
                });
    }

    @Test
    void aRouteDeclaredTwice_isRefused() {
        String template = """
                Resources:
                  A:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: a.A::handleRequest
                      Events:
                        One: { Type: HttpApi, Properties: { Method: GET, Path: /x } }
                        Two: { Type: HttpApi, Properties: { Method: GET, Path: /x } }
                """;

        assertThatThrownBy(() -> TemplateRoutes.parse(new StringReader(template))).hasMessageContaining("same route twice");
    }

    @Test
    void resolution_prefersLiteralSegments_thenParameters_thenGreedy() {
        RouteTable table = new RouteTable(List.of(
                route("GET", "/v1/accounts/{accountId}"),
                route("GET", "/v1/accounts/search"),
                route("ANY", "/files/{path+}"),
                route("PUT", "/v1/accounts/{accountId}")));

        assertThat(found(table, "GET", "/v1/accounts/search").route().path()).isEqualTo("/v1/accounts/search");
        assertThat(found(table, "GET", "/v1/accounts/a%2Fb").pathParameters()).isEqualTo(Map.of("accountId", "a/b"));
        assertThat(found(table, "DELETE", "/files/a/b%20c").pathParameters()).isEqualTo(Map.of("path", "a/b c"));
        assertThat(table.resolve("POST", "/v1/accounts/x")).isEqualTo(new RouteTable.Resolution.MethodNotAllowed(List.of("GET", "HEAD", "PUT")));
        assertThat(found(table, "HEAD", "/v1/accounts/x").route().method()).as("HEAD is served by the GET route").isEqualTo("GET");
        assertThat(table.resolve("GET", "/v1/accounts/x/y")).isInstanceOf(RouteTable.Resolution.NotFound.class);
        assertThat(table.resolve("GET", "/v1/accounts/")).isInstanceOf(RouteTable.Resolution.NotFound.class);
        assertThat(table.resolve("GET", "/files/")).isInstanceOf(RouteTable.Resolution.NotFound.class);
    }

    private static Route route(String method, String path) {
        return new Route(method, path, "x.Handler", "Fn", true, List.of());
    }

    private static RouteTable.Resolution.Found found(RouteTable table, String method, String path) {
        return (RouteTable.Resolution.Found) table.resolve(method, path);
    }

    @Test
    void bundledTemplate_schedulesTheHoldExpirySweepEveryMinute_andTheQuotaResetOnDemand() {
        assertThat(TemplateRoutes.bundledSchedules()).containsExactlyInAnyOrder(
                new TemplateRoutes.Schedule("HoldExpiryFunction", "com.tokenwallet.refund.HoldExpiryHandler", java.time.Duration.ofMinutes(1)),
                new TemplateRoutes.Schedule("QuotaResetFunction", "com.tokenwallet.quotareset.QuotaResetHandler", null));
        assertThat(TemplateRoutes.bundledSchedules()).extracting(TemplateRoutes.Schedule::name).containsExactlyInAnyOrder("hold-expiry", "quota-reset");
    }

    @Test
    void aScheduleNeitherRateNorCron_isRefusedWithItsPlace() {
        String template = """
                Resources:
                  Nightly:
                    Type: AWS::Serverless::Function
                    Properties:
                      Handler: x.Y::handleRequest
                      Events:
                        AtNight:
                          Type: Schedule
                          Properties:
                            Schedule: at(2026-12-01T03:00:00)
                """;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TemplateRoutes.schedules(new java.io.StringReader(template)))
                .hasMessageContaining("Nightly.Events.AtNight").hasMessageContaining("at(2026-12-01T03:00:00)");
    }
}
