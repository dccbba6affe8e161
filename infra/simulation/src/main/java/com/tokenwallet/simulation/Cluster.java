package com.tokenwallet.simulation;

import com.tokenwallet.domain.billing.BillingService;
import com.tokenwallet.domain.billing.Offers;
import com.tokenwallet.domain.billing.OwedPayments;
import com.tokenwallet.domain.billing.StripePrices;
import com.tokenwallet.domain.port.PaymentRecords;
import com.tokenwallet.sqlite.SqlitePaymentRecords;
import java.util.Map;
import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.reset.QuotaReset;
import com.tokenwallet.domain.service.AccountSnapshots;
import com.tokenwallet.domain.service.WalletService;
import com.tokenwallet.domain.testing.FaultInjectingWalletStore;
import com.tokenwallet.domain.testing.MutableClock;
import com.tokenwallet.domain.testing.TestCatalogs;
import com.tokenwallet.sqlite.SqliteDatabase;
import com.tokenwallet.sqlite.SqliteWalletStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The system under test for one history: one SQLite database file, and {@code n} Lambda instances on it, each with
 * its own connection, its own services and caches (as separate Lambda instances have), behind the faulty port. All
 * share one clock that only the history moves. An instance that dies is replaced by a fresh one.
 */
final class Cluster implements AutoCloseable {
    /**
     * The default catalog with rollover rules (issue 15), so periods that end carry unused allowance into rollover
     * lots, some of which expire: solo carries at most 2 dol (expiring after one period) and half its weather (never
     * expiring); business carries half its mockup, expiring after two periods.
     */
    static final Catalog CATALOG = TestCatalogs.parse(TestCatalogs.defaultText()
            .replace("\"weather\": 2, \"credits\": 0}}", "\"weather\": 2, \"credits\": 0}, \"rollover\": {"
                    + "\"dol\": {\"maxTokens\": 2, \"expiresAfterPeriods\": 1}, \"weather\": {\"maxPercent\": 50}}}")
            .replace("\"weather\": 7, \"credits\": 0}}", "\"weather\": 7, \"credits\": 0}, \"rollover\": {"
                    + "\"mockup\": {\"maxPercent\": 50, \"expiresAfterPeriods\": 2}}}"));

    final MutableClock clock;
    private final java.time.Instant start;
    final CommitLog log = new CommitLog();
    private final Path directory;
    private final Path file;
    private final StoreFaults faults;
    private final ThreadLocal<Step> currentStep = new ThreadLocal<>();
    private final Lambda[] lambdas;
    private final List<SqliteDatabase> opened = new ArrayList<>();
    private final SqliteDatabase checkerDatabase;
    /** The store the invariant checker reads, straight (no scheduler, no faults). */
    final SqliteWalletStore checkerStore;

    /** One Lambda instance: its port and services. */
    record Lambda(WalletService wallet, BillingService billing, QuotaReset reset, Offers offers, OwedPayments owed) {
    }

    Cluster(History history, StoreFaults faults) {
        this.clock = new MutableClock(history.start());
        this.start = history.start();
        this.faults = faults;
        try {
            Path shm = Path.of("/dev/shm");
            this.directory = Files.createTempDirectory(Files.isDirectory(shm) && Files.isWritable(shm) ? shm
                    : Path.of(System.getProperty("java.io.tmpdir")), "wallet-sim");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.file = directory.resolve("wallet.db");
        this.checkerDatabase = open();
        this.checkerStore = new SqliteWalletStore(checkerDatabase, clock);
        this.lambdas = new Lambda[history.lambdas()];
        for (int i = 0; i < lambdas.length; i++) {
            lambdas[i] = start(i);
        }
    }

    Catalog catalog() {
        return CATALOG;
    }

    Lambda lambda(int index) {
        return lambdas[index % lambdas.length];
    }

    long startEpoch() {
        return start.getEpochSecond();
    }

    int size() {
        return lambdas.length;
    }

    void runAs(Step step) {
        currentStep.set(step);
    }

    private SqliteDatabase open() {
        SqliteDatabase database = SqliteDatabase.open(file.toString());
        opened.add(database);
        return database;
    }

    private Lambda start(int index) {
        SqliteDatabase database = open();
        SqliteWalletStore engine = new SqliteWalletStore(database, clock);
        StorePorts logged = log.around(engine, currentStep::get);
        StorePorts port = faults.port(new FaultInjectingWalletStore(logged), () -> lambdas[index] = start(index));
        // Offers and owed payments: the same database connection, as the engine's factory wires them.
        PaymentRecords records = faults.records(new SqlitePaymentRecords(database));
        WalletService wallet = new WalletService(port, CATALOG, clock, new AccountSnapshots(1_000));
        BillingService billing = new BillingService(port, records, wallet, CATALOG, new StripePrices(Map.of(), Map.of()), clock);
        QuotaReset reset = new QuotaReset(port, wallet, clock, new QuotaReset.Settings(1, 50, 0));
        return new Lambda(wallet, billing, reset, new Offers(records, clock), new OwedPayments(port, records, CATALOG, clock));
    }

    @Override
    public void close() {
        opened.forEach(SqliteDatabase::close);
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind
        }
    }
}
