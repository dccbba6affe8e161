package com.tokenwallet.domain.admin;

import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.admin.AdminResults.AccountView;
import com.tokenwallet.domain.ledger.LedgerPage;
import com.tokenwallet.domain.port.AccountDirectory;
import com.tokenwallet.domain.port.WalletStore;
import com.tokenwallet.domain.service.WalletService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an operator reads (SPEC 3.4): an account with its billing state, pending holds and latest entries, found by
 * id, e-mail address or Stripe customer (through indexes, never a scan), and the health report. The admin writes
 * (grants, adjustments, plan changes) are {@link WalletService}'s, in the same write loops as every other change.
 */
public final class AdminService {
    /** Latest entries shown with an account. */
    public static final int LATEST_ENTRIES = 10;
    /** Accounts answered for one e-mail address. */
    public static final int MAX_ACCOUNTS_PER_EMAIL = 10;
    private static final Pattern STRIPE_CUSTOMER = Pattern.compile("^cus_[A-Za-z0-9]{1,64}$");

    private final WalletService wallet;
    private final WalletStore store;
    private final AccountDirectory directory;
    private final HealthCheck health;

    public AdminService(WalletService wallet, WalletStore store, AccountDirectory directory, HealthCheck health) {
        this.wallet = wallet;
        this.store = store;
        this.directory = directory;
        this.health = health;
    }

    /** The account as it stands now (its period rolled over if due, expired holds released), and its latest entries. */
    public AccountView view(AccountId id) {
        Account account = wallet.balance(id);
        LedgerPage page = store.ledger(id, LATEST_ENTRIES, Optional.empty());
        return new AccountView(account, page.entries(), page.continueAfter());
    }

    /** The accounts opened with this address (compared normalized), at most {@link #MAX_ACCOUNTS_PER_EMAIL}. */
    public List<AccountView> byEmail(String given) {
        // Pasted addresses often carry spaces around them; inside one, a space is still refused.
        String email = given == null ? null : given.strip();
        if (email == null || email.isBlank() || email.length() > Limits.MAX_EMAIL_LENGTH || email.indexOf('@') < 1
                || email.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new InvalidRequestException("email", "'email' must be an e-mail address of at most " + Limits.MAX_EMAIL_LENGTH + " characters.");
        }
        List<AccountView> views = new ArrayList<>();
        for (AccountId id : directory.accountsByEmail(AccountDirectory.normalize(email), MAX_ACCOUNTS_PER_EMAIL)) {
            viewIfPresent(id).ifPresent(views::add);
        }
        return views;
    }

    /** The account of a Stripe customer, if any has it. */
    public List<AccountView> byStripeCustomer(String customerId) {
        if (customerId == null || !STRIPE_CUSTOMER.matcher(customerId).matches()) {
            throw new InvalidRequestException("stripeCustomerId", "'stripeCustomerId' must be a Stripe customer id such as cus_NffrFeUfNV2Hib.");
        }
        return store.accountByStripeCustomer(customerId).flatMap(this::viewIfPresent).stream().toList();
    }

    /** One bounded run of the health check: see {@link HealthCheck}. */
    public HealthReport health(Optional<String> cursor, int maxAccounts) {
        return health.run(cursor, maxAccounts);
    }

    /** An index may still name an account a moment after it changed; one that is gone is left out. */
    private Optional<AccountView> viewIfPresent(AccountId id) {
        try {
            return Optional.of(view(id));
        } catch (com.tokenwallet.domain.AccountNotFoundException gone) {
            return Optional.empty();
        }
    }
}
