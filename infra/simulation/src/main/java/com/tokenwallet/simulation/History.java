package com.tokenwallet.simulation;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** What one seed generates: the accounts, how many Lambda instances, when it starts, and its steps in launch order. */
record History(long seed, List<String> accounts, int lambdas, Instant start, List<Step> steps) {
    History {
        accounts = List.copyOf(accounts);
        steps = List.copyOf(steps);
    }

    History withSteps(List<Step> fewer) {
        return new History(seed, accounts, lambdas, start, fewer);
    }

    /** The steps as one readable line. */
    String readable() {
        return steps.stream().map(Step::toString).collect(Collectors.joining("; ", "[", "]"));
    }
}
