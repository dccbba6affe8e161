package com.tokenwallet.simulation;

import java.io.PrintStream;
import java.security.SecureRandom;

/**
 * {@code java -jar infra/simulation/target/token-wallet-simulation.jar [--seed S | --seeds N] [--seconds T]}: runs
 * one seed, or N random seeds, or random seeds for T seconds (with --seeds, whichever ends first); prints one line
 * per anomaly (its seed and shrunk history), the rates, and last {@code simulation: H histories, O operations,
 * A anomalies}; exits 1 when A > 0.
 */
public final class SimulationMain {
    /** Reruns a failing history may take to shrink (each well under a second). */
    static final int SHRINK_RUNS = 250;

    private SimulationMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        Long seed = null;
        long seeds = -1;
        long seconds = -1;
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : "";
                switch (args[i]) {
                    case "--seed" -> seed = Long.parseLong(value);
                    case "--seeds" -> seeds = Long.parseLong(value);
                    case "--seconds" -> seconds = Long.parseLong(value);
                    default -> throw new NumberFormatException(args[i]);
                }
                i++;
            }
        } catch (NumberFormatException e) {
            out.println("usage: java -jar token-wallet-simulation.jar [--seed S | --seeds N] [--seconds T]");
            return 2;
        }
        if (seed != null && seeds >= 0) {
            out.println("usage: --seed and --seeds exclude each other");
            return 2;
        }
        if (seed == null && seeds < 0 && seconds < 0) {
            seeds = 100;
        }
        long started = System.nanoTime();
        long deadline = seconds < 0 ? Long.MAX_VALUE : started + seconds * 1_000_000_000L;
        SecureRandom random = new SecureRandom();
        long histories = 0;
        long operations = 0;
        long anomalies = 0;
        while (seed != null ? histories == 0 : (seeds < 0 || histories < seeds) && System.nanoTime() < deadline) {
            long s = seed != null ? seed : random.nextLong();
            Report report = runSeed(s);
            histories++;
            operations += report.operations();
            if (report.line() != null) {
                anomalies++;
                out.println(report.line());
            }
        }
        double elapsed = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        out.printf("rate: %.1f histories/s, %.0f operations/s, %d anomalies in %.1f s%n", histories / elapsed,
                operations / elapsed, anomalies, elapsed);
        out.println("simulation: " + histories + " histories, " + operations + " operations, " + anomalies + " anomalies");
        return anomalies > 0 ? 1 : 0;
    }

    /** One seed's history run; when it fails, the line that says so (seed, first anomaly, shrunk history). */
    record Report(int operations, String line) {
    }

    static Report runSeed(long seed) {
        History history = HistoryGenerator.generate(seed);
        Simulation.Result result = Simulation.run(history);
        if (result.anomalies().isEmpty()) {
            return new Report(result.operations(), null);
        }
        Shrinker.Shrunk shrunk = new Shrinker(SHRINK_RUNS).shrink(history, result.anomalies());
        return new Report(result.operations(), "anomaly: seed " + seed + ": " + shrunk.anomalies().getFirst()
                + " | shrunk history (" + shrunk.history().steps().size() + " of " + history.steps().size() + " steps, replay: --seed "
                + seed + "): " + shrunk.history().readable());
    }
}
