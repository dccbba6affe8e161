package com.tokenwallet.simulation;

/**
 * What a client was finally told: {@code ok} with the response body, {@code refused} with the error code, or
 * {@code unknown} (every attempt failed at the store: the request may or may not have been applied).
 */
record Outcome(Kind kind, String body) {
    enum Kind { OK, REFUSED, UNKNOWN }

    static Outcome ok(String body) {
        return new Outcome(Kind.OK, body);
    }

    static Outcome refused(String code) {
        return new Outcome(Kind.REFUSED, code);
    }

    static final Outcome UNKNOWN = new Outcome(Kind.UNKNOWN, "");

    /** The value of {@code name=} in an ok body, or null. */
    String field(String name) {
        if (kind != Kind.OK) {
            return null;
        }
        for (String part : body.split(" ")) {
            if (part.startsWith(name + "=")) {
                return part.substring(name.length() + 1);
            }
        }
        return null;
    }
}
