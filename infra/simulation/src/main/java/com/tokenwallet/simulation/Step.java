package com.tokenwallet.simulation;

/** One step of a history: its number (kept when the history is shrunk), the Lambda instance that serves it first, and what it asks. */
record Step(int id, int lambda, Action action) {
    @Override
    public String toString() {
        return "#" + id + " L" + lambda + " " + action;
    }
}
