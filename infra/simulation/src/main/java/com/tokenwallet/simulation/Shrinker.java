package com.tokenwallet.simulation;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes a failing history small: removes runs of steps (halves, then quarters, down to single steps) as long as
 * what is left still fails, within a budget of runs (a count, not a time: a slower machine shrinks to the same
 * history). The seed stays, so the scheduler and the faults draw from the same sequence; a removal that makes the
 * failure go away is put back.
 */
final class Shrinker {
    private final int maxRuns;

    Shrinker(int maxRuns) {
        this.maxRuns = maxRuns;
    }

    record Shrunk(History history, List<String> anomalies) {
    }

    Shrunk shrink(History failing, List<String> anomalies) {
        History best = failing;
        List<String> found = anomalies;
        int runs = 0;
        for (int chunk = Math.max(1, best.steps().size() / 2); chunk >= 1; chunk /= 2) {
            int at = 0;
            while (at < best.steps().size() && runs < maxRuns) {
                List<Step> fewer = new ArrayList<>(best.steps());
                fewer.subList(at, Math.min(at + chunk, fewer.size())).clear();
                runs++;
                Simulation.Result result = Simulation.run(best.withSteps(fewer));
                if (!result.anomalies().isEmpty()) {
                    best = best.withSteps(fewer);
                    found = result.anomalies();
                } else {
                    at += chunk;
                }
            }
        }
        return new Shrunk(best, found);
    }
}
