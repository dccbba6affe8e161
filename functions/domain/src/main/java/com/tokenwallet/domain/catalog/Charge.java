package com.tokenwallet.domain.catalog;

/** What a request costs: tokens from one bucket, for a named operation or a described custom amount. */
public record Charge(String bucket, long amountTokens, String operation, String description) {
}
