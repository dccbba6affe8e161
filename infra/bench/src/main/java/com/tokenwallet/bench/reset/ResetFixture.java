package com.tokenwallet.bench.reset;

import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.account.BucketBalance;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.catalog.CatalogLoader;
import com.tokenwallet.domain.catalog.Plan;
import com.tokenwallet.dynamodb.DynamoDbWalletStore;
import com.tokenwallet.dynamodb.WalletTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

/**
 * The accounts both sides of the quota reset comparison reset: on the default catalog's plan {@value #PLAN}
 * (allowance mockup 3, dol 3, weather 2, credits 0), in the period before {@code now}'s month, each having used
 * all of its mockup allowance and some of its dol allowance, with the signup grant's 10 purchased credits. The
 * roll-over changes two buckets (mockup 0 to 3, dol 1 to 3): the account put and two {@code plan_reset} entries in
 * one transaction, infra/QUOTA-RESET.md's typical case (6 WCU). No holds and no lots, so nothing expires.
 */
public final class ResetFixture {
    public static final String PLAN = "solo";

    private ResetFixture() {
    }

    /** The catalog the product's context loads when none is configured (the raw side reads its plan once). */
    public static Catalog catalog() {
        return CatalogLoader.loadDefault();
    }

    /** The plan's allowance per bucket, in the order the product visits buckets (the catalog's, then the account's own). */
    public static Map<String, Long> planAllowance(Catalog catalog) {
        Plan plan = catalog.planOrDefault(PLAN);
        Map<String, Long> allowance = new LinkedHashMap<>();
        catalog.buckets().forEach(bucket -> allowance.put(bucket, plan.allowanceFor(bucket)));
        return allowance;
    }

    public static String accountId(int i) {
        return "reset-" + i;
    }

    /** The account {@code i} as stored at the end of the period before {@code now}'s month. */
    public static Account account(int i, Instant now) {
        Period last = Period.calendarMonthOf(Period.calendarMonthOf(now).startsAt().minusSeconds(1));
        Map<String, BucketBalance> buckets = new LinkedHashMap<>();
        buckets.put("credits", new BucketBalance(0, 10, 0));
        buckets.put("dol", new BucketBalance(1, 0, 0));
        buckets.put("mockup", new BucketBalance(0, 0, 0));
        buckets.put("weather", new BucketBalance(2, 0, 0));
        return new Account(AccountId.of(accountId(i)), null, PLAN, last, buckets, last.startsAt(), 3);
    }

    /** Creates {@code table} and stores {@code accounts} accounts in it (the product's item shape), on a few threads. */
    public static void seed(DynamoDbClient client, String table, int accounts, Instant now) throws Exception {
        try {
            client.createTable(WalletTable.createTableRequest(table));
        } catch (ResourceInUseException e) {
            // The SDK retried a slow first attempt that did create it; the name is the caller's own.
        }
        DynamoDbWalletStore store = new DynamoDbWalletStore(client, table);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            int chunk = Math.max(1, accounts / 4 + 1);
            for (int from = 0; from < accounts; from += chunk) {
                int start = from;
                int end = Math.min(accounts, from + chunk);
                work.add(pool.submit(() -> {
                    for (int i = start; i < end; i++) {
                        store.create(account(i, now), List.of());
                    }
                }));
            }
            for (Future<?> f : work) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
