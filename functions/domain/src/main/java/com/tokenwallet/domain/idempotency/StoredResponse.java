package com.tokenwallet.domain.idempotency;

/** The first response to an idempotent request, exactly as it is answered again on every replay. */
public record StoredResponse(int statusCode, String body) {
}
