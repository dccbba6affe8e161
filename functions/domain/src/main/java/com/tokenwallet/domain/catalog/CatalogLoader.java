package com.tokenwallet.domain.catalog;

import com.tokenwallet.domain.Limits;
import com.tokenwallet.domain.json.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and validates a catalog file. The default ships in this jar; an operator replaces it by pointing the
 * {@code WALLET_CATALOG} setting at another file of the same shape. Every rule broken is reported at once,
 * each with its path in the file, so a bad catalog fails the deployment's first start with a useful message.
 */
public final class CatalogLoader {

    public static final String DEFAULT_RESOURCE = "/com/tokenwallet/domain/catalog/default-catalog.json";

    private final List<String> problems = new ArrayList<>();

    private CatalogLoader() {
    }

    public static Catalog loadDefault() {
        try (InputStream in = CatalogLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new CatalogException("catalog resource " + DEFAULT_RESOURCE + " is missing from the classpath");
            }
            return parse(in, "default catalog");
        } catch (IOException e) {
            throw new CatalogException("default catalog: " + e.getMessage(), e);
        }
    }

    /** The catalog at {@code path}, or the default one when the path is null or blank. */
    public static Catalog load(String path) {
        if (path == null || path.isBlank()) {
            return loadDefault();
        }
        Path file = Path.of(path);
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.toString());
        } catch (IOException e) {
            throw new CatalogException("catalog " + file + ": cannot read: " + e.getMessage(), e);
        }
    }

    public static Catalog parse(InputStream in, String source) {
        Map<String, Object> root;
        try {
            root = StrictJson.object(in);
        } catch (IOException e) {
            throw new CatalogException("catalog " + source + ": not a valid JSON object: " + e.getMessage(), e);
        }
        CatalogLoader loader = new CatalogLoader();
        Catalog catalog = loader.build(root);
        if (!loader.problems.isEmpty()) {
            throw new CatalogException("catalog " + source + " is invalid:\n  - " + String.join("\n  - ", loader.problems));
        }
        return catalog;
    }

    private Catalog build(Map<String, Object> root) {
        knownFields(root, "", "buckets", "signupGrant", "defaultPlan", "operations", "packages", "plans");
        List<String> buckets = new ArrayList<>();
        for (Object b : list(root.get("buckets"), "buckets")) {
            if (b instanceof String s && Catalog.NAME.matcher(s).matches() && !buckets.contains(s)) {
                buckets.add(s);
            } else {
                problems.add("buckets: '" + b + "' must be a unique lower-case name matching " + Catalog.NAME.pattern());
            }
        }
        if (buckets.isEmpty()) {
            problems.add("buckets: at least one bucket is required");
        }

        Map<String, OperationSpec> operations = new LinkedHashMap<>();
        map(root.get("operations"), "operations").forEach((name, raw) -> {
            String path = "operations." + name;
            checkName(name, path);
            Map<String, Object> op = map(raw, path);
            knownFields(op, path + ".", "bucket", "cost", "perMinute");
            String bucket = bucket(op.get("bucket"), path + ".bucket", buckets);
            Pricing pricing = pricing(op, path);
            if (pricing != null) {
                operations.put(name, new OperationSpec(name, bucket, pricing));
            }
        });
        if (operations.isEmpty()) {
            problems.add("operations: at least one operation is required");
        }

        Map<String, CreditPackage> packages = new LinkedHashMap<>();
        map(root.get("packages"), "packages").forEach((id, raw) -> {
            String path = "packages." + id;
            checkName(id, path);
            Map<String, Object> p = map(raw, path);
            knownFields(p, path + ".", "name", "tokens", "bonusTokens", "priceCents", "currency");
            Map<String, Long> tokens = amounts(p.get("tokens"), path + ".tokens", buckets, 1);
            Map<String, Long> bonus = p.containsKey("bonusTokens") ? amounts(p.get("bonusTokens"), path + ".bonusTokens", buckets, 0) : Map.of();
            if (tokens.isEmpty()) {
                problems.add(path + ".tokens: at least one bucket is required");
            }
            long price = number(p.get("priceCents"), path + ".priceCents", 1, 100_000_000);
            String currency = string(p.get("currency"), path + ".currency", "^[a-z]{3}$");
            packages.put(id, new CreditPackage(id, string(p.get("name"), path + ".name", "^.{1,64}$"), tokens, bonus, price, currency));
        });

        Map<String, Plan> plans = new LinkedHashMap<>();
        map(root.get("plans"), "plans").forEach((id, raw) -> {
            String path = "plans." + id;
            checkName(id, path);
            Map<String, Object> p = map(raw, path);
            knownFields(p, path + ".", "name", "allowance", "rollover");
            plans.put(id, new Plan(id, string(p.get("name"), path + ".name", "^.{1,64}$"),
                    amounts(p.get("allowance"), path + ".allowance", buckets, 0),
                    p.get("rollover") == null ? Map.of() : rollover(p.get("rollover"), path + ".rollover", buckets)));
        });
        String defaultPlan = root.get("defaultPlan") instanceof String s ? s : "free";
        if (!plans.containsKey(defaultPlan)) {
            problems.add("defaultPlan: '" + defaultPlan + "' is not one of the plans " + plans.keySet());
        }

        Map<String, Object> grant = map(root.get("signupGrant"), "signupGrant");
        knownFields(grant, "signupGrant.", "bucket", "amount");
        String grantBucket = bucket(grant.get("bucket"), "signupGrant.bucket", buckets);
        long grantTokens = number(grant.get("amount"), "signupGrant.amount", 0, Limits.MAX_AMOUNT_TOKENS);

        return new Catalog(buckets, operations, packages, plans, grantBucket, grantTokens, defaultPlan);
    }

    private Pricing pricing(Map<String, Object> op, String path) {
        if (op.containsKey("cost") == op.containsKey("perMinute")) {
            problems.add(path + ": exactly one of 'cost' or 'perMinute' is required");
            return null;
        }
        if (op.containsKey("cost")) {
            long cost = number(op.get("cost"), path + ".cost", 1, Limits.MAX_AMOUNT_TOKENS);
            return cost > 0 ? new Pricing.Fixed(cost) : null;
        }
        String p = path + ".perMinute";
        Map<String, Object> pm = map(op.get("perMinute"), p);
        knownFields(pm, p + ".", "durationParam", "minMinutes", "maxMinutes", "resolutionParam", "rates", "addOns");
        int min = (int) number(pm.get("minMinutes"), p + ".minMinutes", 1, 10_000);
        int max = (int) number(pm.get("maxMinutes"), p + ".maxMinutes", 1, 10_000);
        if (min > max) {
            problems.add(p + ": minMinutes " + min + " is above maxMinutes " + max);
        }
        Map<String, Long> rates = new LinkedHashMap<>();
        map(pm.get("rates"), p + ".rates").forEach((k, v) -> rates.put(k, number(v, p + ".rates." + k, 1, 1_000_000)));
        if (rates.isEmpty()) {
            problems.add(p + ".rates: at least one rate is required");
        }
        Map<String, Long> addOns = new LinkedHashMap<>();
        map(pm.getOrDefault("addOns", Map.of()), p + ".addOns").forEach((k, v) -> addOns.put(k, number(v, p + ".addOns." + k, 0, 1_000_000)));
        return new Pricing.PerMinute(
                string(pm.getOrDefault("durationParam", "durationMinutes"), p + ".durationParam", "^[A-Za-z][A-Za-z0-9_]{0,63}$"),
                min, max,
                string(pm.getOrDefault("resolutionParam", "resolution"), p + ".resolutionParam", "^[A-Za-z][A-Za-z0-9_]{0,63}$"),
                rates, addOns);
    }

    /**
     * Refuses the fields an object of the catalog does not have: several are optional with a default
     * ({@code defaultPlan}, {@code bonusTokens}, {@code durationParam}, {@code resolutionParam}, {@code addOns}), so a
     * misspelled one would otherwise fall back to the default without a word.
     */
    private void knownFields(Map<String, Object> object, String prefix, String... known) {
        List<String> allowed = List.of(known);
        object.keySet().stream().filter(field -> !allowed.contains(field)).forEach(field ->
                problems.add(prefix + field + ": unknown field (expected one of " + String.join(", ", allowed) + ")"));
    }

    private void checkName(String name, String path) {
        if (!Catalog.NAME.matcher(name).matches()) {
            problems.add(path + ": the name must match " + Catalog.NAME.pattern());
        }
    }

    private String bucket(Object value, String path, List<String> buckets) {
        if (value instanceof String s && buckets.contains(s)) {
            return s;
        }
        problems.add(path + ": '" + value + "' is not one of the buckets " + buckets);
        return String.valueOf(value);
    }

    /** {@code "rollover": {"<bucket>": {"maxTokens"?, "maxPercent"?, "expiresAfterPeriods"?}}} (issue 15). */
    private Map<String, RolloverRule> rollover(Object value, String path, List<String> buckets) {
        Map<String, RolloverRule> result = new LinkedHashMap<>();
        map(value, path).forEach((bucket, raw) -> {
            String at = path + "." + bucket;
            if (!buckets.contains(bucket)) {
                problems.add(at + ": not one of the buckets " + buckets);
            }
            Map<String, Object> r = map(raw, at);
            knownFields(r, at + ".", "maxTokens", "maxPercent", "expiresAfterPeriods");
            java.util.OptionalLong maxTokens = r.get("maxTokens") == null ? java.util.OptionalLong.empty()
                    : java.util.OptionalLong.of(number(r.get("maxTokens"), at + ".maxTokens", 0, Limits.MAX_AMOUNT_TOKENS));
            java.util.OptionalInt maxPercent = r.get("maxPercent") == null ? java.util.OptionalInt.empty()
                    : java.util.OptionalInt.of((int) number(r.get("maxPercent"), at + ".maxPercent", 0, 100));
            java.util.OptionalInt periods = r.get("expiresAfterPeriods") == null ? java.util.OptionalInt.empty()
                    : java.util.OptionalInt.of((int) number(r.get("expiresAfterPeriods"), at + ".expiresAfterPeriods", 1, 120));
            if (periods.isPresent() && periods.getAsInt() < 1) {
                return;
            }
            result.put(bucket, new RolloverRule(maxTokens, maxPercent, periods));
        });
        return result;
    }

    private Map<String, Long> amounts(Object value, String path, List<String> buckets, long min) {
        Map<String, Long> result = new LinkedHashMap<>();
        map(value, path).forEach((bucket, n) -> {
            if (!buckets.contains(bucket)) {
                problems.add(path + "." + bucket + ": not one of the buckets " + buckets);
            }
            result.put(bucket, number(n, path + "." + bucket, min, Limits.MAX_AMOUNT_TOKENS));
        });
        return result;
    }

    private long number(Object value, String path, long min, long max) {
        if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= min && ((Number) value).longValue() <= max) {
            return ((Number) value).longValue();
        }
        problems.add(path + ": must be a whole number from " + min + " to " + max + ", was " + value);
        return 0;
    }

    private String string(Object value, String path, String pattern) {
        if (value instanceof String s && s.matches(pattern)) {
            return s;
        }
        problems.add(path + ": must be a string matching " + pattern + ", was " + value);
        return "";
    }

    private List<?> list(Object value, String path) {
        if (value instanceof List<?> l) {
            return l;
        }
        problems.add(path + ": must be a JSON array");
        return List.of();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(Object value, String path) {
        if (value instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        problems.add(path + ": must be a JSON object");
        return Map.of();
    }
}
