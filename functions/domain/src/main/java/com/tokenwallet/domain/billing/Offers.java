package com.tokenwallet.domain.billing;

import com.tokenwallet.domain.IdempotencyKeyReusedException;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.catalog.CreditPackage;
import com.tokenwallet.domain.port.PaymentRecords;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;

/**
 * Checkout's offers: before a package's session is created, what it sells is stored under an id derived from the
 * account and the request's Idempotency-Key, so a retry with the same key finds the same offer (and Stripe replays
 * the same session), while the same key for another package is refused as a reused key.
 */
public final class Offers {
    private final PaymentRecords records;
    private final Clock clock;

    public Offers(PaymentRecords records, Clock clock) {
        this.records = records;
        this.clock = clock;
    }

    /** The offer id of an account's request key: {@code offer_} and 32 hex digits of a SHA-256 of both. */
    public static String offerId(AccountId account, String idempotencyKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("offer\n" + account.value() + "\n" + idempotencyKey).getBytes(StandardCharsets.UTF_8));
            return "offer_" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stores the offer of {@code pkg} (or finds the one this key stored before); another package under the same key is refused. */
    public Offer offer(AccountId account, String idempotencyKey, CreditPackage pkg) {
        Offer wanted = Offer.of(offerId(account, idempotencyKey), account, pkg, clock.instant());
        Offer stored = records.putOffer(wanted);
        if (!stored.sameTerms(wanted)) {
            throw new IdempotencyKeyReusedException();
        }
        return stored;
    }
}
