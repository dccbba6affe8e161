package com.tokenwallet.sqlite;

import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.billing.Offer;
import com.tokenwallet.domain.billing.OwedPayment;
import com.tokenwallet.domain.port.PaymentRecords;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Offers and owed payments on SQLite (tables {@code offers} and {@code owed_payments}, schema version 3): each row
 * is its key, the columns a condition or a listing reads, and the record as its JSON document. Owed payments are
 * written by {@link SqliteWalletStore#write} (SideWrite.Owed), in the account's transaction.
 */
public final class SqlitePaymentRecords implements PaymentRecords {
    private final SqliteDatabase db;

    public SqlitePaymentRecords(SqliteDatabase db) {
        this.db = db;
    }

    @Override
    public Offer putOffer(Offer offer) {
        return db.write("store the offer", tx -> {
            // DynamoDB's TTL forgets expired offers; here the account's expired ones go when it stores a new one.
            tx.update("DELETE FROM offers WHERE account_id = ? AND expires_at_epoch_s < ?", offer.account().value(),
                    offer.createdAt().getEpochSecond());
            tx.update("INSERT OR IGNORE INTO offers (account_id, offer_id, document, expires_at_epoch_s) VALUES (?, ?, ?, ?)",
                    offer.account().value(), offer.offerId(), offer.toDocument(), offer.expiresAt().getEpochSecond());
            return offer(tx, offer.account(), offer.offerId()).orElseThrow();
        });
    }

    @Override
    public Optional<Offer> findOffer(AccountId account, String offerId) {
        return db.read("read the offer", tx -> offer(tx, account, offerId));
    }

    private static Optional<Offer> offer(SqliteDatabase.Tx tx, AccountId account, String offerId) throws SQLException {
        return tx.first("SELECT document FROM offers WHERE account_id = ? AND offer_id = ?", r -> Offer.fromDocument(r.getString(1)),
                account.value(), offerId);
    }

    @Override
    public List<OwedPayment> owedPayments(AccountId account, int limit) {
        return db.read("list the owed payments", tx -> tx.query("SELECT document FROM owed_payments WHERE account_id = ? "
                + "ORDER BY payment_id LIMIT ?", r -> OwedPayment.fromDocument(r.getString(1)), account.value(), limit));
    }

    @Override
    public Optional<OwedPayment> findOwedPayment(AccountId account, String paymentId) {
        return db.read("read the owed payment", tx -> owed(tx, account, paymentId));
    }

    static Optional<OwedPayment> owed(SqliteDatabase.Tx tx, AccountId account, String paymentId) throws SQLException {
        return tx.first("SELECT document FROM owed_payments WHERE account_id = ? AND payment_id = ?",
                r -> OwedPayment.fromDocument(r.getString(1)), account.value(), paymentId);
    }

    static void putOwed(SqliteDatabase.Tx tx, OwedPayment o) throws SQLException {
        tx.update("INSERT OR REPLACE INTO owed_payments (account_id, payment_id, status, version, created_at, document) "
                + "VALUES (?, ?, ?, ?, ?, ?)", o.account().value(), o.paymentId(), o.status(), o.version(), o.createdAt().toString(),
                o.toDocument());
    }
}
