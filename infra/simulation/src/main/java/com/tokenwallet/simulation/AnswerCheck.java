package com.tokenwallet.simulation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What clients were told against what was written: every answer to one Idempotency-Key is the first one (a replay
 * answers the stored response), a key answered with success was applied exactly once, and a refused request wrote
 * nothing (no entry carries its key).
 */
final class AnswerCheck {
    private AnswerCheck() {
    }

    static List<String> check(List<Step> steps, Map<Integer, Outcome> outcomes, List<Commit> commits) {
        Map<String, Integer> applied = new HashMap<>();
        for (Commit c : commits) {
            if (c.key() != null) {
                applied.merge(c.key(), 1, Integer::sum);
            }
        }
        java.util.Set<Integer> wrote = new java.util.HashSet<>();
        commits.stream().filter(c -> c.step() != null).forEach(c -> wrote.add(c.step().id()));
        Map<String, Outcome> first = new HashMap<>();
        List<String> anomalies = new java.util.ArrayList<>();
        for (Step step : steps) {
            String key = Action.keyOf(step.action());
            Outcome outcome = outcomes.get(step.id());
            if (key == null || outcome == null) {
                continue;
            }
            int writes = applied.getOrDefault(key, 0);
            if (writes > 1) {
                anomalies.add("key " + key + " applied " + writes + " times (#" + step.id() + ")");
            }
            if (outcome.kind() == Outcome.Kind.OK) {
                if (writes != 1) {
                    anomalies.add("#" + step.id() + " was answered " + outcome.body() + " but key " + key + " was applied " + writes + " times");
                }
                Outcome earlier = first.putIfAbsent(key, outcome);
                if (earlier != null && !earlier.body().equals(outcome.body())) {
                    anomalies.add("key " + key + " answered '" + earlier.body() + "' then '" + outcome.body() + "' (#" + step.id() + ")");
                }
            } else if (outcome.kind() == Outcome.Kind.REFUSED && wrote.contains(step.id())) {
                anomalies.add("#" + step.id() + " was refused (" + outcome.body() + ") but wrote");
            }
        }
        return anomalies;
    }
}
