package com.tokenwallet.stripewebhook;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The shape of a {@code Stripe-Signature} header, checked before stripe-java verifies it: comma-separated
 * {@code key=value} items with exactly one {@code t} of decimal digits (Unix seconds) and at least one {@code v1}
 * of 64 hex digits (an HMAC-SHA256). stripe-java parses {@code t} with {@code Long.parseLong} and lets its
 * exceptions escape ({@code t=abc}, {@code t=}, {@code t=1.5}, a bare {@code t}, 20 digits), so a malformed header
 * must never reach it: here it is simply a header that does not verify. The local gateway uses the same shape to
 * tell a plausible Stripe delivery from anonymous traffic, as the edge's rule does in AWS.
 */
public record SignatureHeader(long timestamp) {
    /** Up to 12 digits: Unix seconds until the year 33658, and nothing that overflows a long. */
    private static final Pattern TIMESTAMP = Pattern.compile("^[0-9]{1,12}$");
    private static final Pattern V1 = Pattern.compile("^[0-9a-fA-F]{64}$");

    /** The header's timestamp, or empty when the header is not of Stripe's shape. */
    public static Optional<SignatureHeader> parse(String header) {
        Long timestamp = null;
        boolean signed = false;
        for (String item : header.split(",", -1)) {
            int equals = item.indexOf('=');
            if (equals < 1) {
                return Optional.empty();
            }
            // No trimming: stripe-java compares and parses the items exactly as they come.
            String key = item.substring(0, equals);
            String value = item.substring(equals + 1);
            if (key.equals("t")) {
                if (timestamp != null || !TIMESTAMP.matcher(value).matches()) {
                    return Optional.empty();
                }
                timestamp = Long.parseLong(value);
            } else if (key.equals("v1")) {
                if (!V1.matcher(value).matches()) {
                    return Optional.empty();
                }
                signed = true;
            }
            // Other schemes (v0, a future v2) are Stripe's to add; stripe-java ignores them, and so does this.
        }
        return timestamp != null && signed ? Optional.of(new SignatureHeader(timestamp)) : Optional.empty();
    }
}
