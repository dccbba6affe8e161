package com.tokenwallet.refund;

import com.tokenwallet.api.testing.TestWallet;
import com.tokenwallet.domain.testing.FaultInjectingWalletStore;
import io.micronaut.context.ApplicationContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * A {@code TestWallet} (a fresh SQLite database wired as in Lambda) with a catalog of the test's own (the
 * {@code WALLET_CATALOG} setting): for example a bigger signup grant, or the {@code solo} plan by default so that
 * accounts have an allowance.
 */
final class CatalogWallet implements AutoCloseable {

    final TestWallet wallet;
    final Path catalogFile;
    final Clock clock;
    final ApplicationContext context;
    /** The wallet's database file, shared by its other instances. */
    final Path database;
    final FaultInjectingWalletStore store;

    private CatalogWallet(TestWallet wallet, Path catalogFile, Clock clock) {
        this.wallet = wallet;
        this.catalogFile = catalogFile;
        this.clock = clock;
        this.context = wallet.context;
        this.database = wallet.database;
        this.store = wallet.store;
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
            return new CatalogWallet(TestWallet.with(clock, Map.of("wallet.catalog", file.toString())), file, clock);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    /** Another Lambda instance on the same database: its own context, connection and caches. */
    CatalogWallet anotherInstance() {
        return new CatalogWallet(wallet.anotherInstance(), catalogFile, clock);
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
        wallet.close();
    }
}
