package com.tokenwallet.quotareset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import com.tokenwallet.domain.json.StrictJson;
import com.tokenwallet.domain.port.SegmentDispatcher;
import com.tokenwallet.domain.port.SegmentDispatcher.SegmentTask;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;

/**
 * The real Lambda client (a release older than the rest of the SDK here) against a stand-in for the Lambda API on
 * 127.0.0.1: one signed asynchronous Invoke of the function's alias, with the task as its payload.
 */
class LambdaSegmentDispatcherTest {
    static final SegmentTask TASK = new SegmentTask("quota-reset#2026-12", 3, 32, "ticket-9", 0);

    record Call(String method, String path, String query, String invocationType, String authorization, String body) {
    }

    HttpServer lambdaApi;
    List<Call> calls = new CopyOnWriteArrayList<>();
    AtomicInteger status = new AtomicInteger(202);
    LambdaClient client;

    @BeforeEach
    void stubOfTheLambdaApi() throws Exception {
        lambdaApi = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        lambdaApi.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            calls.add(new Call(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), exchange.getRequestURI().getQuery(),
                    exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type"), exchange.getRequestHeaders().getFirst("Authorization"),
                    new String(body, StandardCharsets.UTF_8)));
            byte[] answer = status.get() == 202 ? new byte[0]
                    : "{\"Type\":\"User\",\"message\":\"Function not found\"}".getBytes(StandardCharsets.UTF_8);
            if (status.get() != 202) {
                exchange.getResponseHeaders().add("x-amzn-ErrorType", "ResourceNotFoundException");
                exchange.getResponseHeaders().add("Content-Type", "application/json");
            }
            exchange.sendResponseHeaders(status.get(), answer.length == 0 ? -1 : answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        lambdaApi.start();
        client = LambdaSegmentDispatcher.client(URI.create("http://127.0.0.1:" + lambdaApi.getAddress().getPort()));
    }

    @AfterEach
    void stop() {
        client.close();
        lambdaApi.stop(0);
    }

    @Test
    void aTask_isOneSignedAsynchronousInvokeOfTheFunctionsAlias() throws Exception {
        new LambdaSegmentDispatcher(client, "wallet-quota-reset", "live").dispatch(TASK);

        assertThat(calls).hasSize(1);
        Call call = calls.getFirst();
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.path()).isEqualTo("/2015-03-31/functions/wallet-quota-reset/invocations");
        assertThat(call.query()).isEqualTo("Qualifier=live");
        assertThat(call.invocationType()).isEqualTo("Event");
        assertThat(call.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=local/");
        assertThat(SegmentPayload.task(StrictJson.object(call.body()))).contains(TASK);
    }

    @Test
    void latest_isInvokedUnqualified() {
        new LambdaSegmentDispatcher(client, "wallet-quota-reset", "$LATEST").dispatch(TASK);

        assertThat(calls.getFirst().query()).isNull();
    }

    @Test
    void anInvokeLambdaRefuses_fails() {
        status.set(404);

        assertThatThrownBy(() -> new LambdaSegmentDispatcher(client, "missing", "7").dispatch(TASK))
                .isInstanceOf(SegmentDispatcher.DispatchFailedException.class)
                .hasMessageContaining("segment " + TASK.segment())
                .hasCauseInstanceOf(ResourceNotFoundException.class)
                .satisfies(e -> assertThat(((SegmentDispatcher.DispatchFailedException) e).task()).isEqualTo(TASK));
    }

    @Test
    void outsideLambda_thereIsNoFunctionToInvoke() {
        assertThat(System.getenv("AWS_LAMBDA_FUNCTION_NAME")).as("these tests do not run in Lambda").isNull();

        assertThatThrownBy(LambdaSegmentDispatcher::fromEnvironment).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AWS_LAMBDA_FUNCTION_NAME");
    }
}
