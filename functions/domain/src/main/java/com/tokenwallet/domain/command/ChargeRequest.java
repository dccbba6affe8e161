package com.tokenwallet.domain.command;

import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.catalog.Charge;
import java.util.Map;

/** What to charge: a catalog operation with its params, or a custom amount from a bucket with a description. */
public sealed interface ChargeRequest {

    Charge price(Catalog catalog);

    record ByOperation(String operation, Map<String, Object> params) implements ChargeRequest {
        public ByOperation {
            if (operation == null || operation.isEmpty() || operation.length() > 64) {
                throw new InvalidRequestException("operation", "'operation' must be 1 to 64 characters.");
            }
            if (params != null) {
                params.forEach((name, value) -> {
                    if (value == null) {
                        throw new InvalidRequestException("params." + name, "'params." + name + "' must not be null.");
                    }
                });
            }
            params = params == null ? Map.of() : Map.copyOf(params);
        }

        @Override
        public Charge price(Catalog catalog) {
            return catalog.price(operation, params);
        }
    }

    record ByAmount(String bucket, long amountTokens, String description) implements ChargeRequest {
        public ByAmount {
            if (bucket == null || !Catalog.NAME.matcher(bucket).matches()) {
                throw new InvalidRequestException("bucket", "'bucket' must be a bucket name such as 'credits'.");
            }
            if (amountTokens < 1 || amountTokens > Limits.MAX_AMOUNT_TOKENS) {
                throw new InvalidRequestException("amount", "'amount' must be a whole number from 1 to " + Limits.MAX_AMOUNT_TOKENS + ".");
            }
            if (description == null || description.isBlank() || description.length() > Limits.MAX_DESCRIPTION_LENGTH) {
                throw new InvalidRequestException("description", "'description' is required with 'bucket' and 'amount' (1 to 256 characters).");
            }
        }

        @Override
        public Charge price(Catalog catalog) {
            return catalog.custom(bucket, amountTokens, description);
        }
    }
}
