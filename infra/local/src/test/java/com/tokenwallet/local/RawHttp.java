package com.tokenwallet.local;

import com.tokenwallet.domain.json.StrictJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Requests written byte for byte to 127.0.0.1, for what an HTTP client library refuses to send (a raw {@code |}, a
 * bad Content-Length, a bare CR, an obs-folded header): one request per connection, its response read to the end.
 */
final class RawHttp {
    private static final int TIMEOUT_MILLIS = 10_000;
    private static final int MAX_RESPONSE_BYTES = 1024 * 1024;

    private RawHttp() {
    }

    record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        Map<String, Object> json() {
            try {
                return StrictJson.object(body);
            } catch (IOException e) {
                throw new AssertionError("not a JSON object (status " + status + "): " + body, e);
            }
        }
    }

    /** Sends {@code request} (the whole request, as ISO-8859-1 bytes) and reads the response until the server closes. */
    static Response send(int port, String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port)) {
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return parse(readAll(socket.getInputStream()));
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0 && bytes.size() < MAX_RESPONSE_BYTES; n = in.read(buffer)) {
                bytes.write(buffer, 0, n);
                if (complete(bytes.toString(StandardCharsets.ISO_8859_1))) {
                    break;
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            // Whatever arrived is the answer; parse() fails if it is not a whole response.
        }
        return bytes.toByteArray();
    }

    /** Whether the text holds a whole response with a Content-Length (a kept-alive connection is not closed for us). */
    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        for (String line : text.substring(0, end).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return text.length() - end - 4 >= Integer.parseInt(line.substring(15).trim());
            }
        }
        return false;
    }

    private static Response parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            throw new AssertionError("not an HTTP/1.1 response: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(lines[0].substring(9, 12)), headers, text.substring(end + 4));
    }
}
