package com.tokenwallet.dynamodb.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * The SDK's HTTP client SPI answered by a {@link FakeDynamoDb} in the caller's thread: the SDK marshals, signs,
 * retries and times out exactly as over a socket, and only the bytes' journey is skipped. A withheld answer is an
 * {@link IOException} (dropped connection) or a wait ended by the SDK's attempt timeout (which aborts the request).
 */
final class FakeSdkHttpClient implements SdkHttpClient {
    private final FakeDynamoDb fake;

    FakeSdkHttpClient(FakeDynamoDb fake) {
        this.fake = fake;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            private final CountDownLatch aborted = new CountDownLatch(1);

            @Override
            public HttpExecuteResponse call() throws IOException {
                byte[] body;
                if (request.contentStreamProvider().isPresent()) {
                    try (InputStream in = request.contentStreamProvider().get().newStream()) {
                        body = in.readAllBytes();
                    }
                } else {
                    body = new byte[0];
                }
                String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse(null);
                FakeDynamoDb.Answer answer = fake.handle(target, body);
                if (answer.silence() != null) {
                    try {
                        aborted.await(answer.silence().toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while the fake DynamoDB stayed silent");
                    }
                    throw new SocketTimeoutException("Read timed out: the fake DynamoDB did not answer");
                }
                if (answer.drop()) {
                    throw new IOException("Connection reset: the fake DynamoDB closed the connection without answering");
                }
                return HttpExecuteResponse.builder().response(headers(answer)).responseBody(
                        AbortableInputStream.create(new ByteArrayInputStream(answer.body()))).build();
            }

            @Override
            public void abort() {
                aborted.countDown();
            }
        };
    }

    /** The headers DynamoDB sends; the SDK checks the body against x-amz-crc32. */
    static SdkHttpResponse headers(FakeDynamoDb.Answer answer) {
        CRC32 crc = new CRC32();
        crc.update(answer.body());
        return SdkHttpResponse.builder().statusCode(answer.status()).statusText(answer.status() == 200 ? "OK"
                        : answer.status() == 500 ? "Internal Server Error" : "Bad Request")
                .putHeader("Content-Type", "application/x-amz-json-1.0")
                .putHeader("Content-Length", Integer.toString(answer.body().length))
                .putHeader("x-amzn-RequestId", UUID.randomUUID().toString().replace("-", "").toUpperCase())
                .putHeader("x-amz-crc32", Long.toString(crc.getValue()))
                .build();
    }

    @Override
    public String clientName() {
        return "FakeDynamoDb";
    }

    @Override
    public void close() {
        // Nothing to release: no sockets, no threads.
    }
}
