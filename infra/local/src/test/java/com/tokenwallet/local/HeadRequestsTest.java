package com.tokenwallet.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 item 13: HEAD on a GET route is that GET without its body (RFC 9110 section 9.3.2): the same status and
 * headers, through the same token check; on a route without GET it is 405, whose Allow names HEAD wherever GET is.
 */
class HeadRequestsTest {
    @TempDir
    Path home;

    private static String request(String method, String target, String token) {
        return method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + "Connection: close\r\n\r\n";
    }

    @Test
    void headOnAGetRoute_answersAsGet_withoutTheBody() throws Exception {
        try (LocalServer server = LocalServer.start(LocalServer.Options.inMemory(0, home.resolve("key")))) {
            String reader = server.tokens().mint("hal", List.of("wallet:read"), Duration.ofMinutes(5));
            assertThat(new LocalApi(server.url()).request("PUT", "/v1/accounts/hal").token(reader).send().status()).isEqualTo(201);

            for (String target : List.of("/v1/accounts/hal/balance", "/v1/catalog", "/v1/accounts/hal/transactions?limit=5",
                    "/v1/accounts/nobody/balance")) {
                RawHttp.Response get = RawHttp.send(server.port(), request("GET", target, reader));
                RawHttp.Response head = RawHttp.send(server.port(), request("HEAD", target, reader));
                assertThat(head.status()).as(target).isEqualTo(get.status()).isNotEqualTo(405);
                assertThat(head.header("content-type")).as(target).isEqualTo(get.header("content-type"));
                assertThat(head.body()).as(target).isEmpty();
                assertThat(get.body()).as(target).isNotEmpty();
            }

            RawHttp.Response anonymous = RawHttp.send(server.port(), request("HEAD", "/v1/accounts/hal/balance", null));
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.body()).isEmpty();

            RawHttp.Response post = RawHttp.send(server.port(), request("HEAD", "/v1/accounts/hal/debits", reader));
            assertThat(post.status()).isEqualTo(405);
            assertThat(post.header("allow")).isEqualTo("POST");
            RawHttp.Response allow = RawHttp.send(server.port(), request("DELETE", "/v1/accounts/hal/balance", reader));
            assertThat(allow.status()).isEqualTo(405);
            assertThat(allow.header("allow")).isEqualTo("GET, HEAD");
        }
    }
}
