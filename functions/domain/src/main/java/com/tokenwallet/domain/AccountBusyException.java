package com.tokenwallet.domain;

/**
 * A hot account: every write attempt found the account changed by another writer, until the attempt bound or the
 * request's deadline ({@link com.tokenwallet.domain.service.Deadline}) ran out. Nothing was changed. It is a kind of
 * {@link StoreUnavailableException}, so it keeps that stable code and the caller retries with the same key.
 */
public final class AccountBusyException extends StoreUnavailableException {
    public AccountBusyException(String message) {
        super(message);
    }
}
