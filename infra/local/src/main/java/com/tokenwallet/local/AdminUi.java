package com.tokenwallet.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Serves static pages bundled into this jar: the admin page (infra/admin-ui) at {@code /admin-ui/}, and the browser
 * module token-wallet.js with its example page (infra/wallet-js) at {@code /wallet-js/}: the listed files, nothing
 * else, GET and HEAD only. Served from the runner's own origin, the page calls the local API without CORS. Strict
 * headers: the page may load only its own files and talk to any API (the operator types its URL), may not be
 * framed, and sends no referrer.
 */
final class AdminUi implements HttpHandler {
    static final String PREFIX = "/admin-ui";
    /** Where the build puts the page inside the jar (see this module's pom.xml). */
    static final String RESOURCES = "/com/tokenwallet/local/admin-ui/";
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "admin.js", "text/javascript; charset=utf-8",
            "admin.css", "text/css; charset=utf-8");
    static final String WALLET_JS_PREFIX = "/wallet-js";
    private static final Map<String, String> WALLET_JS_FILES = Map.of(
            "token-wallet.js", "text/javascript; charset=utf-8",
            "example.html", "text/html; charset=utf-8",
            "example.js", "text/javascript; charset=utf-8",
            "example.css", "text/css; charset=utf-8");

    private final String prefix;
    private final String resources;
    private final Map<String, String> files;
    private final String index;

    /** The admin page. */
    AdminUi() {
        this(PREFIX, RESOURCES, FILES, "index.html");
    }

    private AdminUi(String prefix, String resources, Map<String, String> files, String index) {
        this.prefix = prefix;
        this.resources = resources;
        this.files = files;
        this.index = index;
    }

    /** token-wallet.js and its example page (issue 17). */
    static AdminUi walletModule() {
        return new AdminUi(WALLET_JS_PREFIX, "/com/tokenwallet/local/wallet-js/", WALLET_JS_FILES, "example.html");
    }

    /** Whether a request path is one of this handler's. */
    boolean serves(String path) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src *; "
            + "img-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            if (path.equals(prefix)) {
                exchange.getResponseHeaders().set("Location", prefix + "/");
                exchange.sendResponseHeaders(301, -1);
                return;
            }
            String name = path.startsWith(prefix + "/") ? path.substring(prefix.length() + 1) : null;
            if (name != null && name.isEmpty()) {
                name = index;
            }
            if (name == null || !files.containsKey(name)) {
                send(exchange, 404, "text/plain; charset=utf-8", "Not found\n".getBytes(StandardCharsets.UTF_8), method);
                return;
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                send(exchange, 405, "text/plain; charset=utf-8", "Method not allowed\n".getBytes(StandardCharsets.UTF_8), method);
                return;
            }
            byte[] body;
            try (InputStream in = AdminUi.class.getResourceAsStream(resources + name)) {
                if (in == null) {
                    send(exchange, 500, "text/plain; charset=utf-8",
                            "The page is not bundled in this jar; build it with Maven.\n".getBytes(StandardCharsets.UTF_8), method);
                    return;
                }
                body = in.readAllBytes();
            }
            send(exchange, 200, files.get(name), body, method);
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body, String method) throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", type);
        headers.set("Cache-Control", "no-store");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Content-Security-Policy", CSP);
        boolean head = method.equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
