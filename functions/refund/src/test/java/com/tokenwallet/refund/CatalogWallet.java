package com.tokenwallet.refund;

import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.dynamodb.DynamoDbCallCounter;
import com.tokenwallet.dynamodb.testing.FaultInjectingDynamoDbClient;
import com.tokenwallet.dynamodb.testing.LocalDynamoDb;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * Like {@code TestWallet}, a wallet on a fresh table of the shared DynamoDB Local wired as in Lambda, but with a
 * catalog of the test's own (the {@code WALLET_CATALOG} setting): for example a bigger signup grant, or the
 * {@code solo} plan by default so that accounts have an allowance.
 */
final class CatalogWallet implements AutoCloseable {

    final String table;
    final Path catalogFile;
    final Clock clock;
    final DynamoDbCallCounter counter = new DynamoDbCallCounter();
    final FaultInjectingDynamoDbClient client;
    final ApplicationContext context;

    private CatalogWallet(String table, Path catalogFile, Clock clock) {
        this.table = table;
        this.catalogFile = catalogFile;
        this.clock = clock;
        this.client = new FaultInjectingDynamoDbClient(LocalDynamoDb.shared().client(List.of(counter)));
        this.context = WalletContexts.start(Map.of("wallet.table", table, "wallet.catalog", catalogFile.toString()),
                counter, client, clock);
    }

    /** A wallet whose catalog is the shipped default with each {@code from} replaced by the following {@code to}. */
    static CatalogWallet withDefaultCatalogChanged(Clock clock, String... fromTo) {
        String text = defaultCatalogText();
        for (int i = 0; i < fromTo.length; i += 2) {
            if (!text.contains(fromTo[i])) {
                throw new IllegalArgumentException("the default catalog does not contain: " + fromTo[i]);
            }
            text = text.replace(fromTo[i], fromTo[i + 1]);
        }
        try {
            Path file = Files.createTempFile("catalog-", ".json");
            file.toFile().deleteOnExit();
            Files.writeString(file, text, StandardCharsets.UTF_8);
            return new CatalogWallet(createTable(), file, clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A fresh table. Not {@code LocalDynamoDb.createTable()}: when DynamoDB Local is slow (a cold start on a busy
     * machine) the SDK's retry after the 1.5 s attempt timeout finds the table the first attempt created and fails
     * with "Cannot create preexisting table"; a name of our own lets that answer count as success.
     */
    static String createTable() {
        String name = "wallet-refund-" + java.util.UUID.randomUUID();
        try {
            Invariants.reader().createTable(com.tokenwallet.dynamodb.WalletTable.createTableRequest(name));
        } catch (software.amazon.awssdk.services.dynamodb.model.ResourceInUseException e) {
            // Our own earlier attempt created it.
        }
        return name;
    }

    /** New accounts get {@code credits} signup credits. */
    static CatalogWallet withSignupGrant(Clock clock, long credits) {
        return withDefaultCatalogChanged(clock, "\"signupGrant\": {\"bucket\": \"credits\", \"amount\": 10}",
                "\"signupGrant\": {\"bucket\": \"credits\", \"amount\": " + credits + "}");
    }

    /** New accounts start on the solo plan: allowance mockup 3, dol 3, weather 2 (and the 10 signup credits). */
    static CatalogWallet soloByDefault(Clock clock) {
        return withDefaultCatalogChanged(clock, "\"defaultPlan\": \"free\"", "\"defaultPlan\": \"solo\"");
    }

    /** Another Lambda instance on the same table: its own context, client, counter and caches. */
    CatalogWallet anotherInstance() {
        return new CatalogWallet(table, catalogFile, clock);
    }

    static String defaultCatalogText() {
        try (InputStream in = CatalogWallet.class.getResourceAsStream(com.tokenwallet.domain.catalog.CatalogLoader.DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("default catalog resource missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
