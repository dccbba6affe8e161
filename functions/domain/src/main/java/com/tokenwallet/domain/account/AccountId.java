package com.tokenwallet.domain.account;

import com.tokenwallet.domain.InvalidRequestException;
import java.util.regex.Pattern;

/**
 * An account's id: 1 to 128 characters of {@code A-Z a-z 0-9 . _ : @ | -}, not only dots.
 *
 * <p>Why these: the natural id is the caller's JWT {@code sub}, and identity providers build subjects from exactly
 * these (Cognito and Okta ids, e-mail addresses with {@code @}, URNs with {@code :}, Auth0's
 * {@code auth0|123} and {@code google-oauth2|104532} with {@code |}), so SPEC section 1's set gains {@code |}
 * (issue 19). Everything else is out: {@code /} {@code ?} {@code #} {@code %} and spaces would change what a URL
 * path means, and non-ASCII letters allow look-alike ids. An id of dots only ({@code .}, {@code ..}) is a URL
 * dot-segment that clients and proxies rewrite, so it could never be addressed. {@code |} is not a URL character
 * of its own: clients send it percent-encoded ({@code %7C}), as any HTTP library does when it builds a path.
 */
public record AccountId(String value) {
    private static final Pattern VALID = Pattern.compile("^(?!\\.+$)[A-Za-z0-9._:@|-]{1,128}$");

    public AccountId {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new InvalidRequestException("accountId",
                    "The account id must be 1 to 128 characters of A-Z a-z 0-9 . _ : @ | -, and not only dots.");
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
