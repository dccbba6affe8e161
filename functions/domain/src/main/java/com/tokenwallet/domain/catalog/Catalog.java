package com.tokenwallet.domain.catalog;

import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.Limits;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The operations, packages and plans in force. Built only by {@link CatalogLoader}, which validates it, so a
 * {@code Catalog} in hand is always consistent: every operation, package and plan names known buckets.
 */
public record Catalog(List<String> buckets, Map<String, OperationSpec> operations,
                      Map<String, CreditPackage> packages, Map<String, Plan> plans,
                      String signupGrantBucket, long signupGrantTokens, String defaultPlan) {

    public static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");

    public Catalog {
        buckets = List.copyOf(buckets);
        operations = Map.copyOf(operations);
        packages = Map.copyOf(packages);
        plans = Map.copyOf(plans);
    }

    /** The cost of an operation with its params; unknown operations and bad params are invalid requests. */
    public Charge price(String operation, Map<String, Object> params) {
        OperationSpec spec = operations.get(operation);
        if (spec == null) {
            throw new InvalidRequestException("operation", "Unknown operation '" + abbreviate(operation)
                    + "'. GET /v1/catalog lists the operations in force.");
        }
        if (params.size() > Limits.MAX_PARAMS) {
            throw new InvalidRequestException("params", "At most " + Limits.MAX_PARAMS + " params.");
        }
        return new Charge(spec.bucket(), spec.pricing().cost(params), operation, null);
    }

    /** A custom charge of a whole number of tokens from a named bucket. */
    public Charge custom(String bucket, long amountTokens, String description) {
        requireBucket(bucket, "bucket");
        if (amountTokens < 1 || amountTokens > Limits.MAX_AMOUNT_TOKENS) {
            throw new InvalidRequestException("amount", "'amount' must be a whole number from 1 to " + Limits.MAX_AMOUNT_TOKENS + ".");
        }
        return new Charge(bucket, amountTokens, null, description);
    }

    public void requireBucket(String bucket, String field) {
        if (!buckets.contains(bucket)) {
            throw new InvalidRequestException(field, "Unknown bucket '" + abbreviate(bucket) + "'. Known: " + buckets + ".");
        }
    }

    public Optional<Plan> plan(String id) {
        return Optional.ofNullable(plans.get(id));
    }

    public Plan planOrDefault(String id) {
        return plans.getOrDefault(id, plans.get(defaultPlan));
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }
}
