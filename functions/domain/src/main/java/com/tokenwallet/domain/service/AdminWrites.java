package com.tokenwallet.domain.service;

import com.tokenwallet.domain.AccountNotFoundException;
import com.tokenwallet.domain.ConflictException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.AccountId;
import com.tokenwallet.domain.admin.AdminCommands;
import com.tokenwallet.domain.idempotency.Idempotency;
import com.tokenwallet.domain.idempotency.StoredResponse;
import com.tokenwallet.domain.ledger.LedgerEntry;
import com.tokenwallet.domain.port.WalletStore.SideWrite;
import com.tokenwallet.domain.service.AccountWriter.Change;
import com.tokenwallet.domain.service.AccountWriter.Prepared;
import com.tokenwallet.domain.service.AccountWriter.Rule;
import com.tokenwallet.domain.service.Results.Answer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the admin use cases share (SPEC 3.4): each is one ledger entry (or more) carrying the reason and the admin's sub. */
final class AdminWrites {
    private AdminWrites() {
    }

    /**
     * An admin change: with an Idempotency-Key, the keyed loop (once, replays answer the first response); without,
     * the unkeyed loop on a fresh read, so it is applied each time it is asked for.
     */
    static Answer write(AccountWriter writer, AccountId id, Optional<Idempotency> idempotency, Rule rule) {
        if (idempotency.isPresent()) {
            return writer.keyed(id, idempotency.get(), rule);
        }
        StoredResponse[] response = {null};
        Optional<Account> written = writer.writeWithoutKey(id, Optional.empty(), (stored, now, prepared) -> {
            Change change = rule.apply(prepared.account(), now);
            response[0] = change.response();
            List<LedgerEntry> entries = new ArrayList<>(prepared.entries());
            entries.addAll(change.entries());
            List<SideWrite> sides = new ArrayList<>(prepared.sides());
            sides.addAll(change.sides());
            return Optional.of(new Prepared(change.after(), entries, sides));
        });
        if (written.isEmpty()) {
            throw new AccountNotFoundException(id);
        }
        return new Answer(response[0], false);
    }

    /** Keeps a part far from overflow: no real balance comes near it. */
    static void requireAtMost(long current, long add, String bucket) {
        if (current + add > AdminCommands.MAX_BALANCE_TOKENS) {
            throw new ConflictException("balance_too_large", "'" + bucket + "' would hold more than "
                    + AdminCommands.MAX_BALANCE_TOKENS + " tokens.");
        }
    }

    /** The admin's sub (and the part an adjustment changed) as the entry's metadata. */
    static String metadata(String admin, String part) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("admin", admin);
        if (part != null) {
            fields.put("part", part);
        }
        return com.tokenwallet.domain.command.Metadata.of(fields).json();
    }
}
