package com.tokenwallet.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.domain.json.StrictJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data survives a kill -9 of the runner: the shaded jar runs as its own process on a data directory, takes writes
 * from several threads, and is killed with SIGKILL while requests are in flight; restarted on the same directory,
 * every write it had answered 2xx is there, and each account's ledger sums to its balance. An integration test
 * (failsafe, after the jar is packaged): {@code runner.jar} names the jar.
 */
class RunnerKillIT {
    private static final Pattern LISTENING = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
    private static final int ACCOUNTS = 4;
    private static final int THREADS = 6;
    private static final int MAX_WRITES = 3_000;

    @TempDir
    Path home;
    @TempDir
    Path data;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A write the runner answered 2xx: the transaction it made, on which account. */
    record Acknowledged(String account, String transactionId) {
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyWriteAnswered2xx_isThereAfterAKill9AndARestart() throws Exception {
        Path keyFile = home.resolve("jwt-key");
        LocalTokens tokens = LocalTokens.fromKeyFile(keyFile);
        String admin = tokens.mint("ops", List.of("wallet:admin"), Duration.ofHours(1));
        String backend = tokens.mint("backend", List.of("wallet:charge"), Duration.ofHours(1));

        Runner first = Runner.start(keyFile, data, home.resolve("first.log"));
        List<Acknowledged> acknowledged = new ArrayList<>();
        try {
            for (int a = 0; a < ACCOUNTS; a++) {
                String id = "durable-" + a;
                assertThat(send(first.url, "PUT", "/v1/accounts/" + id, backend, null, "{}").statusCode()).isEqualTo(201);
                HttpResponse<String> grant = send(first.url, "POST", "/admin/accounts/" + id + "/grants", admin, "grant-" + a,
                        "{\"bucket\":\"credits\",\"amount\":100000,\"reason\":\"load\"}");
                assertThat(grant.statusCode()).as(grant.body()).isEqualTo(201);
                acknowledged.add(new Acknowledged(id, (String) json(grant.body()).get("transactionId")));
            }

            // Load from several threads; kill -9 once at least 200 debits were answered, with requests in flight.
            ConcurrentHashMap<String, Acknowledged> debits = new ConcurrentHashMap<>();
            AtomicInteger sent = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(pool.submit(() -> {
                    for (int n; (n = sent.incrementAndGet()) <= MAX_WRITES; ) {
                        String id = "durable-" + (n % ACCOUNTS);
                        String key = "load-" + thread + "-" + n;
                        try {
                            HttpResponse<String> response = send(first.url, "POST", "/v1/accounts/" + id + "/debits", backend, key,
                                    "{\"bucket\":\"credits\",\"amount\":" + (1 + n % 3) + ",\"description\":\"load " + n + "\"}");
                            if (response.statusCode() / 100 == 2) {
                                debits.put(key, new Acknowledged(id, (String) json(response.body()).get("transactionId")));
                            }
                        } catch (IOException | InterruptedException e) {
                            return;  // the runner is gone: this request's outcome is unknown, and it is not counted
                        }
                    }
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (debits.size() < 200 && System.nanoTime() < deadline && sent.get() < MAX_WRITES) {
                Thread.sleep(20);
            }
            assertThat(debits.size()).as("debits answered before the kill").isGreaterThanOrEqualTo(200);
            first.process.destroyForcibly();
            assertThat(first.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(first.process.exitValue()).as("killed by SIGKILL (128 + 9), not stopped cleanly").isEqualTo(137);
            for (Future<?> worker : workers) {
                worker.get(60, TimeUnit.SECONDS);
            }
            pool.shutdownNow();
            acknowledged.addAll(debits.values());
            assertThat(sent.get()).as("the load was still running when the runner died").isLessThan(MAX_WRITES);
        } finally {
            first.process.destroyForcibly();
        }

        Runner second = Runner.start(keyFile, data, home.resolve("second.log"));
        try {
            Map<String, List<Map<String, Object>>> ledgers = new HashMap<>();
            for (int a = 0; a < ACCOUNTS; a++) {
                String id = "durable-" + a;
                List<Map<String, Object>> ledger = ledger(second.url, id, admin);
                ledgers.put(id, ledger);
                Map<String, Object> credits = credits(send(second.url, "GET", "/v1/accounts/" + id + "/balance", admin, null, null));
                long sum = ledger.stream().filter(e -> "credits".equals(e.get("bucket"))).mapToLong(e -> ((Number) e.get("amount")).longValue()).sum();
                assertThat(sum).as("%s: the ledger sums to the balance", id)
                        .isEqualTo(((Number) credits.get("allowance")).longValue() + ((Number) credits.get("purchased")).longValue());
            }
            for (Acknowledged write : acknowledged) {
                assertThat(ledgers.get(write.account())).as("answered 2xx before the kill: %s", write)
                        .anyMatch(e -> write.transactionId().equals(e.get("transactionId")));
            }
            System.out.printf("RunnerKillIT: %d writes answered 2xx before the kill, all there after the restart%n", acknowledged.size());
        } finally {
            second.process.destroy();
            second.process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The runner jar as its own process, its output in a file; started once it prints its listening line. */
    private record Runner(Process process, String url) {
        static Runner start(Path keyFile, Path data, Path log) throws Exception {
            String jar = System.getProperty("runner.jar");
            assertThat(jar).as("runner.jar (set by the pom)").isNotBlank();
            assertThat(Path.of(jar)).as("the packaged runner").isRegularFile();
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", jar, "serve", "--port", "0", "--data-dir", data.toString()).redirectErrorStream(true);
            builder.environment().put(LocalTokens.KEY_FILE_ENV, keyFile.toString());
            Process process = builder.start();
            CompletableFuture<String> url = new CompletableFuture<>();
            Thread drain = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                     PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        out.println(line);
                        Matcher m = LISTENING.matcher(line);
                        if (m.find()) {
                            url.complete(m.group(1));
                        }
                    }
                } catch (IOException e) {
                    url.completeExceptionally(e);
                }
                url.completeExceptionally(new IllegalStateException("the runner exited before it listened; see " + log));
            }, "runner-output");
            drain.setDaemon(true);
            drain.start();
            return new Runner(process, url.get(120, TimeUnit.SECONDS));
        }
    }

    private HttpResponse<String> send(String base, String method, String path, String token, String key, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The account's whole ledger, following the cursor (bounded). */
    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> ledger(String base, String id, String token) throws Exception {
        List<Map<String, Object>> all = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 1_000; page++) {
            HttpResponse<String> response = send(base, "GET", "/v1/accounts/" + id + "/transactions?limit=100"
                    + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, StandardCharsets.UTF_8)), token, null, null);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            Map<String, Object> body = json(response.body());
            all.addAll((List<Map<String, Object>>) body.get("items"));
            cursor = (String) body.get("nextCursor");
            if (cursor == null) {
                return all;
            }
        }
        throw new AssertionError("the ledger of " + id + " never ended");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> credits(HttpResponse<String> balance) throws IOException {
        assertThat(balance.statusCode()).as(balance.body()).isEqualTo(200);
        return (Map<String, Object>) ((Map<String, Object>) json(balance.body()).get("buckets")).get("credits");
    }

    private static Map<String, Object> json(String text) throws IOException {
        return StrictJson.object(text);
    }
}
