package com.tokenwallet.domain.contract;

/**
 * The store contract, stated once for every engine (in memory, SQLite, DynamoDB): what {@code WalletStore},
 * {@code AccountScan}, {@code AccountAudit} and {@code AccountDirectory} promise, as the DynamoDB adapter keeps it.
 * An engine's test extends this class and returns its {@link StoreFixture}; every test opens a fresh store set
 * (and, for the races, other instances on the same data) and closes it.
 *
 * <ul>
 *   <li>{@link WriteContract}: conditional writes, replays (KeyUsed), holds, refund tallies, Stripe events and
 *       purchases, all or nothing, and the order of the refusals;</li>
 *   <li>{@link IndexContract}: the ledger's pages, the Stripe customer, payment and e-mail indexes, expired holds by
 *       shard, and their limits;</li>
 *   <li>{@link ScanContract}: scan segments and page positions (every account exactly once), checkpoints and leases;</li>
 *   <li>{@link AuditContract}: the health report's reads and their bounds;</li>
 *   <li>{@link RaceContract}: writers racing from several threads and several instances;</li>
 *   <li>{@link PaymentRecordsContract}: checkout's offers (stored once per id) and owed payments (created with the
 *       Stripe event's record, once; settled only from the version read);</li>
 *   <li>{@link LotsContract}: credit lots are part of the account item, every field read back as written, a used-up
 *       lot gone, an account written before lots reading with none;</li>
 *   <li>{@link AsOfContract}: each entry's bucket parts after it, written with it and read back (none on entries
 *       written before them), and the ledger's range up to an instant, newest first;</li>
 *   <li>{@link CreditContract}: a bucket's credit limit and debt (negative purchased part) read back as written, the
 *       credit portion kept with its entry, the audit's limit and lot tokens, a credit_limit entry.</li>
 * </ul>
 */
public abstract class WalletStoreContract implements WriteContract, IndexContract, ScanContract, AuditContract, RaceContract,
        PaymentRecordsContract, LotsContract, AsOfContract, CreditContract {

    /** The engine under test: a fresh, empty store set on a clock, which can open more instances of itself. */
    @Override
    public abstract StoreFixture fixture();
}
