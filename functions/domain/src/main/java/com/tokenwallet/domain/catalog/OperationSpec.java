package com.tokenwallet.domain.catalog;

/** A metered operation: which bucket it draws on and how its cost is computed. */
public record OperationSpec(String name, String bucket, Pricing pricing) {
}
