package com.tokenwallet.local;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * One Jetty request and its response seen as a JDK {@link HttpExchange}, the interface the gateway and the admin
 * page are written against: Jetty parses HTTP strictly and lets the runner answer a malformed request itself (the
 * JDK server answers those with its own text/html pages), while the handlers stay as they were.
 */
final class JettyExchange extends HttpExchange {
    private final Request request;
    private final Response response;
    private final URI uri;
    private final Headers requestHeaders = new Headers();
    private final Headers responseHeaders = new Headers();
    private final Map<String, Object> attributes = new HashMap<>();
    private InputStream in;
    private OutputStream out;
    private int status = -1;

    /** @param uri the request target, already checked to be a valid URI by {@link JettyFront} */
    JettyExchange(Request request, Response response, URI uri) {
        this.request = request;
        this.response = response;
        this.uri = uri;
        for (HttpField field : request.getHeaders()) {
            requestHeaders.add(field.getName(), field.getValue());
        }
    }

    @Override
    public Headers getRequestHeaders() {
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return uri;
    }

    @Override
    public String getRequestMethod() {
        return request.getMethod();
    }

    @Override
    public HttpContext getHttpContext() {
        return null;
    }

    @Override
    public void close() {
        try {
            if (status < 0) {
                sendResponseHeaders(500, -1);
            }
            getResponseBody().close();
        } catch (IOException e) {
            // The client went away; there is no one to tell.
        }
    }

    @Override
    public InputStream getRequestBody() {
        if (in == null) {
            in = Content.Source.asInputStream(request);
        }
        return in;
    }

    @Override
    public OutputStream getResponseBody() {
        if (out == null) {
            out = Content.Sink.asOutputStream(response);
        }
        return out;
    }

    /** As the JDK's: {@code length} -1 for no body, 0 for a body of unknown length, else its exact length. */
    @Override
    public void sendResponseHeaders(int code, long length) {
        if (status >= 0) {
            throw new IllegalStateException("the response headers were sent already");
        }
        status = code;
        response.setStatus(code);
        responseHeaders.forEach((name, values) -> values.forEach(value -> response.getHeaders().add(name, value)));
        if (length > 0) {
            response.getHeaders().put("Content-Length", String.valueOf(length));
        } else if (length < 0 && !responseHeaders.containsKey("Content-Length")) {
            response.getHeaders().put("Content-Length", "0");
        }
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        SocketAddress address = request.getConnectionMetaData().getRemoteSocketAddress();
        return address instanceof InetSocketAddress inet ? inet : new InetSocketAddress("127.0.0.1", 0);
    }

    @Override
    public int getResponseCode() {
        return status;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        SocketAddress address = request.getConnectionMetaData().getLocalSocketAddress();
        return address instanceof InetSocketAddress inet ? inet : null;
    }

    @Override
    public String getProtocol() {
        return request.getConnectionMetaData().getProtocol();
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        attributes.put(name, value);
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        throw new UnsupportedOperationException("the local runner does not filter streams");
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return null;
    }
}
