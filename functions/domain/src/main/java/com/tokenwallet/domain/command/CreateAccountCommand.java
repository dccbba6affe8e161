package com.tokenwallet.domain.command;

import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.account.AccountId;
import java.util.Optional;
import java.util.regex.Pattern;

/** Open an account (with the signup grant) or find the one that exists. */
public record CreateAccountCommand(AccountId accountId, Optional<String> email) {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s\"<>]{1,64}@[^@\\s\"<>]{1,189}$");

    public CreateAccountCommand {
        email = email == null ? Optional.empty() : email;
        email.ifPresent(e -> {
            if (e.length() > Limits.MAX_EMAIL_LENGTH || !EMAIL.matcher(e).matches()) {
                throw new InvalidRequestException("email", "'email' must be an e-mail address of at most 254 characters.");
            }
        });
    }
}
