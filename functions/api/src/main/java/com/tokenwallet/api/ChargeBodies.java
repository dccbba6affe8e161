package com.tokenwallet.api;

import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.command.ChargeRequest;
import java.util.HashSet;
import java.util.Set;

/**
 * The two ways a request names what to charge (SPEC 3.2): {@code {"operation","params"?}} priced by the
 * catalog, or {@code {"bucket","amount","description"}}; both with optional {@code metadata}, plus whatever
 * other fields the route allows (for example a hold's {@code ttlSeconds}).
 */
public final class ChargeBodies {
    private ChargeBodies() {
    }

    public static ChargeRequest charge(Body body, Set<String> otherFields) {
        if (body.has("operation")) {
            body.allowOnly(with(otherFields, "operation", "params", "metadata"));
            return new ChargeRequest.ByOperation(body.string("operation", 64), body.optionalObject("params"));
        }
        if (body.has("bucket") || body.has("amount")) {
            body.allowOnly(with(otherFields, "bucket", "amount", "description", "metadata"));
            return new ChargeRequest.ByAmount(body.string("bucket", 64), body.wholeNumber("amount"),
                    body.string("description", Limits.MAX_DESCRIPTION_LENGTH));
        }
        throw new InvalidRequestException("operation", "Send either 'operation' (with 'params') or 'bucket', 'amount' and 'description'.");
    }

    private static Set<String> with(Set<String> other, String... names) {
        Set<String> all = new HashSet<>(other);
        all.addAll(Set.of(names));
        return all;
    }
}
