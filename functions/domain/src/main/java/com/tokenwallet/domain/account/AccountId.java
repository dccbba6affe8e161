package com.tokenwallet.domain.account;

import com.tokenwallet.domain.InvalidRequestException;
import java.util.regex.Pattern;

/** An account's id, as SPEC section 1 allows it: {@code ^[A-Za-z0-9._:@-]{1,128}$}. */
public record AccountId(String value) {
    private static final Pattern VALID = Pattern.compile("^[A-Za-z0-9._:@-]{1,128}$");

    public AccountId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new InvalidRequestException("accountId", "The account id must be 1 to 128 characters of A-Z a-z 0-9 . _ : @ -.");
        }
    }

    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    public static AccountId of(String value) {
        return new AccountId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
