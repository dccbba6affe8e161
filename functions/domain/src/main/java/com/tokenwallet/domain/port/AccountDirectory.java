package com.tokenwallet.domain.port;

import com.tokenwallet.domain.account.AccountId;
import java.util.List;
import java.util.Locale;

/**
 * Finding accounts by what an operator knows of them other than the id: the e-mail address given at sign-up.
 * An index read (eventually consistent), never a scan. Addresses are compared {@link #normalize normalized}, so
 * {@code Ada@Example.com} finds the account opened as {@code ada@example.com}; one address may have several
 * accounts, so the answer is a list.
 */
public interface AccountDirectory {

    /** At most {@code limit} accounts whose normalized e-mail address is {@code normalizedEmail}. */
    List<AccountId> accountsByEmail(String normalizedEmail, int limit);

    /** The form addresses are indexed and looked up in: trimmed and lower-cased (the domain part is case-blind; in
     * practice so is the local part at every large provider). */
    static String normalize(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }
}
