package com.tokenwallet.domain.catalog;

/** The catalog file is unreadable or breaks a rule; the message names the file, the path and the rule. */
public final class CatalogException extends RuntimeException {
    public CatalogException(String message) {
        super(message);
    }

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
