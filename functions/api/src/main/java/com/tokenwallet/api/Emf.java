package com.tokenwallet.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CloudWatch embedded metric format: the {@code _aws} member that turns a JSON log line into metrics, so every
 * function reports its outcomes without an API call. The metric values themselves are top-level fields of the line.
 */
public final class Emf {
    public static final String NAMESPACE = "TokenWallet";

    private Emf() {
    }

    /** One set of metrics ({@code name, unit, name, unit, ...}) by one set of dimensions. */
    public record Directive(List<String> dimensions, String... namesAndUnits) {
    }

    /** {@code _aws} with several directives: metrics of one line by different dimensions. */
    public static Map<String, Object> metadata(List<Directive> directives) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Directive d : directives) {
            List<Map<String, String>> metrics = new ArrayList<>();
            for (int i = 0; i + 1 < d.namesAndUnits().length; i += 2) {
                metrics.add(Map.of("Name", d.namesAndUnits()[i], "Unit", d.namesAndUnits()[i + 1]));
            }
            all.add(Map.of("Namespace", NAMESPACE, "Dimensions", List.of(d.dimensions()), "Metrics", metrics));
        }
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("Timestamp", System.currentTimeMillis());
        aws.put("CloudWatchMetrics", all);
        return aws;
    }

    /** {@code _aws} for metrics named and united as {@code name, unit, name, unit, ...}, by the given dimensions. */
    public static Map<String, Object> metadata(List<String> dimensions, String... namesAndUnits) {
        return metadata(List.of(new Directive(dimensions, namesAndUnits)));
    }
}
