package com.tokenwallet.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads the HTTP routes out of template.yaml, the same file SAM deploys: for every
 * {@code AWS::Serverless::Function}, each event of type {@code HttpApi} becomes a {@link Route} with its method,
 * path, handler class and the JWT scopes API Gateway would demand. The template is bundled into the jar at build
 * time, so the local API is exactly the deployed one.
 */
public final class TemplateRoutes {

    /** Where the build puts template.yaml inside the jar (see this module's pom.xml). */
    public static final String RESOURCE = "/com/tokenwallet/local/template.yaml";

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "ANY");
    private static final int MAX_TEMPLATE_CHARS = 1_000_000;

    private TemplateRoutes() {
    }

    /** The routes of the template bundled into this jar. */
    public static List<Route> bundled() {
        return parse(new StringReader(bundledText()));
    }

    /** The scheduled functions of the template bundled into this jar. */
    public static List<Schedule> bundledSchedules() {
        return schedules(new StringReader(bundledText()));
    }

    /**
     * A function the template runs on a schedule: its local name (the logical id without "Function", in kebab
     * case: QuotaResetFunction is quota-reset), and how often for a {@code rate(...)} schedule (null for a cron
     * schedule, which the local runner fires only on demand, with POST /_local/schedules/NAME).
     */
    public record Schedule(String function, String handlerClass, java.time.Duration every) {
        public String name() {
            String base = function.endsWith("Function") ? function.substring(0, function.length() - "Function".length()) : function;
            return base.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        }
    }

    /** The bundled template's edge limits by rule name (see {@link #edgeLimits}). */
    public static Map<String, RateLimit> bundledEdgeLimits() {
        return edgeLimits(new StringReader(bundledText()));
    }

    /**
     * The rate-based rules of the template's WAF web ACLs (the edge in front of the APIs), by rule name, as the token
     * bucket the local gateway approximates them with: a burst of the rule's limit, refilled at the limit per window.
     */
    public static Map<String, RateLimit> edgeLimits(Reader template) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Map<String, Object> root = map(new Yaml(new CloudFormationConstructor(options)).load(template), "the template");
        Map<String, RateLimit> limits = new java.util.LinkedHashMap<>();
        map(root.get("Resources"), "Resources").forEach((id, resource) -> {
            Map<String, Object> definition = map(resource, id);
            if (!"AWS::WAFv2::WebACL".equals(definition.get("Type"))) {
                return;
            }
            Object rules = optionalMap(definition.get("Properties"), id + ".Properties").get("Rules");
            for (Object rule : rules instanceof List<?> list ? list : List.of()) {
                Map<String, Object> r = map(rule, id + ".Rules[]");
                Map<String, Object> rate = optionalMap(optionalMap(r.get("Statement"), id + ".Statement").get("RateBasedStatement"), id);
                if (rate.get("Limit") instanceof Number limit) {
                    long window = rate.get("EvaluationWindowSec") instanceof Number w ? w.longValue() : 300;
                    limits.put(string(r.get("Name"), id + ".Rules[].Name"), new RateLimit(limit.doubleValue() / window, limit.intValue()));
                }
            }
        });
        return limits;
    }

    /** The functions with a {@code Schedule} or {@code ScheduleV2} event: {@code rate(N unit)} or {@code cron(...)}. */
    public static List<Schedule> schedules(Reader template) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Map<String, Object> root = map(new Yaml(new CloudFormationConstructor(options)).load(template), "the template");
        Map<String, Object> resources = map(root.get("Resources"), "Resources");
        List<Schedule> schedules = new ArrayList<>();
        for (Map.Entry<String, Object> resource : resources.entrySet()) {
            Map<String, Object> definition = map(resource.getValue(), resource.getKey());
            boolean machine = "AWS::Serverless::StateMachine".equals(definition.get("Type"));
            if (!"AWS::Serverless::Function".equals(definition.get("Type")) && !machine) {
                continue;
            }
            Map<String, Object> events = optionalMap(optionalMap(definition.get("Properties"), resource.getKey() + ".Properties").get("Events"),
                    resource.getKey() + ".Properties.Events");
            // A scheduled state machine (the quota reset's, issue 18) runs here as the one function it ends up invoking:
            // the local runner stands in for Step Functions and runs that function's in-process job.
            String functionId = machine && !events.isEmpty() ? invokedFunction(resources, resource.getKey()) : resource.getKey();
            Map<String, Object> properties = optionalMap(map(resources.get(functionId), functionId).get("Properties"), functionId + ".Properties");
            for (Map.Entry<String, Object> event : events.entrySet()) {
                String where = resource.getKey() + ".Events." + event.getKey();
                Map<String, Object> eventDefinition = map(event.getValue(), where);
                boolean v2 = "ScheduleV2".equals(eventDefinition.get("Type"));
                if (!"Schedule".equals(eventDefinition.get("Type")) && !v2) {
                    continue;
                }
                Map<String, Object> scheduleProperties = optionalMap(eventDefinition.get("Properties"), where + ".Properties");
                String expression = string(scheduleProperties.get(v2 ? "ScheduleExpression" : "Schedule"), where + ".Schedule");
                String handler = string(properties.get("Handler"), resource.getKey() + ".Properties.Handler");
                String handlerClass = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
                if (expression.startsWith("cron(") && expression.endsWith(")")) {
                    schedules.add(new Schedule(functionId, handlerClass, null));
                    continue;
                }
                java.util.regex.Matcher rate = java.util.regex.Pattern.compile("^rate\\((\\d{1,6}) (minute|minutes|hour|hours|day|days)\\)$").matcher(expression);
                if (!rate.matches()) {
                    throw new IllegalStateException(where + ": the local runner runs rate(N unit) and cron(...) schedules only, not " + expression);
                }
                long n = Long.parseLong(rate.group(1));
                java.time.Duration every = switch (rate.group(2)) {
                    case "minute", "minutes" -> java.time.Duration.ofMinutes(n);
                    case "hour", "hours" -> java.time.Duration.ofHours(n);
                    default -> java.time.Duration.ofDays(n);
                };
                schedules.add(new Schedule(functionId, handlerClass, every));
            }
        }
        return List.copyOf(schedules);
    }

    /**
     * The one function a state machine invokes, through its DefinitionSubstitutions ({@code !Ref F}, {@code !Ref
     * FAlias<alias>} or {@code !GetAtt F.Arn}), following a substitution that names another state machine.
     */
    static String invokedFunction(Map<String, Object> resources, String machineId) {
        java.util.Set<String> functions = new java.util.TreeSet<>();
        java.util.Deque<String> machines = new java.util.ArrayDeque<>(List.of(machineId));
        java.util.Set<String> visited = new java.util.HashSet<>();
        while (!machines.isEmpty()) {
            String id = machines.pop();
            if (!visited.add(id)) {
                continue;
            }
            Map<String, Object> properties = optionalMap(map(resources.get(id), id).get("Properties"), id + ".Properties");
            for (Object value : optionalMap(properties.get("DefinitionSubstitutions"), id + ".DefinitionSubstitutions").values()) {
                String target = value instanceof Map<?, ?> m && m.get("Ref") instanceof String ref ? ref
                        : value instanceof Map<?, ?> m && m.get("Fn::GetAtt") instanceof List<?> att && !att.isEmpty() ? String.valueOf(att.get(0)) : null;
                if (target == null) {
                    continue;
                }
                String type = resources.get(target) instanceof Map<?, ?> r ? String.valueOf(r.get("Type")) : "";
                if ("AWS::Serverless::StateMachine".equals(type)) {
                    machines.push(target);
                } else if ("AWS::Serverless::Function".equals(type)) {
                    functions.add(target);
                } else if (target.contains("Alias") && resources.get(target.substring(0, target.lastIndexOf("Alias"))) instanceof Map<?, ?> f
                        && "AWS::Serverless::Function".equals(f.get("Type"))) {
                    functions.add(target.substring(0, target.lastIndexOf("Alias")));
                }
            }
        }
        if (functions.size() != 1) {
            throw new IllegalStateException(machineId + ": the local runner runs a scheduled state machine as the one function it invokes, but it invokes "
                    + functions);
        }
        return functions.iterator().next();
    }

    private static String bundledText() {
        try (InputStream in = TemplateRoutes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("template.yaml is not bundled at " + RESOURCE + "; build the jar with Maven.");
            }
            byte[] bytes = in.readNBytes(MAX_TEMPLATE_CHARS + 1);
            if (bytes.length > MAX_TEMPLATE_CHARS) {
                throw new IllegalStateException("template.yaml is larger than " + MAX_TEMPLATE_CHARS + " bytes.");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bundled template.yaml", e);
        }
    }

    /** The routes of a SAM template. */
    public static List<Route> parse(Reader template) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(50);
        Object document = new Yaml(new CloudFormationConstructor(options)).load(template);
        Map<String, Object> root = map(document, "the template");
        Map<String, Object> resources = map(root.get("Resources"), "Resources");
        Map<String, Object> globals = root.get("Globals") == null ? Map.of() : map(root.get("Globals"), "Globals");

        List<Route> routes = new ArrayList<>();
        for (Map.Entry<String, Object> resource : resources.entrySet()) {
            Map<String, Object> definition = map(resource.getValue(), resource.getKey());
            if (!"AWS::Serverless::Function".equals(definition.get("Type"))) {
                continue;
            }
            String function = resource.getKey();
            Map<String, Object> properties = optionalMap(definition.get("Properties"), function + ".Properties");
            Map<String, Object> events = optionalMap(properties.get("Events"), function + ".Properties.Events");
            for (Map.Entry<String, Object> event : events.entrySet()) {
                String where = function + ".Events." + event.getKey();
                Map<String, Object> eventDefinition = map(event.getValue(), where);
                if (!"HttpApi".equals(eventDefinition.get("Type"))) {
                    continue;
                }
                routes.add(route(function, where, properties, optionalMap(eventDefinition.get("Properties"), where + ".Properties"),
                        resources, globals));
            }
        }
        List<String> keys = routes.stream().map(Route::routeKey).toList();
        if (Set.copyOf(keys).size() != keys.size()) {
            throw new IllegalStateException("template.yaml declares the same route twice: " + keys);
        }
        return List.copyOf(routes);
    }

    private static Route route(String function, String where, Map<String, Object> functionProperties,
                               Map<String, Object> event, Map<String, Object> resources, Map<String, Object> globals) {
        String handler = string(functionProperties.get("Handler"), function + ".Properties.Handler");
        String handlerClass = handler.contains("::") ? handler.substring(0, handler.indexOf("::")) : handler;
        if (event.get("Path") == null || event.get("Method") == null) {
            throw new IllegalStateException(where + ": an HttpApi event without Path and Method (the $default route) "
                    + "is not supported by the local runner.");
        }
        String method = string(event.get("Method"), where + ".Method").toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw new IllegalStateException(where + ": unsupported method " + method);
        }
        String path = string(event.get("Path"), where + ".Path");

        Map<String, Object> auth = optionalMap(event.get("Auth"), where + ".Auth");
        String authorizer = auth.get("Authorizer") == null ? defaultAuthorizer(event.get("ApiId"), resources, globals)
                : string(auth.get("Authorizer"), where + ".Auth.Authorizer");
        boolean authorized = authorizer != null && !"NONE".equals(authorizer);
        List<String> scopes = new ArrayList<>();
        if (auth.get("AuthorizationScopes") != null) {
            if (!(auth.get("AuthorizationScopes") instanceof List<?> list)) {
                throw new IllegalStateException(where + ".Auth.AuthorizationScopes must be a list");
            }
            list.forEach(s -> scopes.add(string(s, where + ".Auth.AuthorizationScopes")));
        }
        return new Route(method, path, handlerClass, function, authorized, scopes,
                throttle(method + " " + path, event.get("ApiId"), resources, globals));
    }

    /**
     * The route's throttling as API Gateway resolves it for the HttpApi the event names: its
     * {@code RouteSettings} entry for this route key, else its {@code DefaultRouteSettings}, each setting on its
     * own, falling back to Globals.HttpApi (which SAM merges into every HttpApi). Null when nothing sets both.
     */
    private static RateLimit throttle(String routeKey, Object apiId, Map<String, Object> resources, Map<String, Object> globals) {
        Map<String, Object> global = optionalMap(globals.get("HttpApi"), "Globals.HttpApi");
        Map<String, Object> api = Map.of();
        String where = "Globals.HttpApi";
        if (apiId instanceof Map<?, ?> ref && ref.get("Ref") instanceof String name && resources.get(name) != null) {
            api = optionalMap(map(resources.get(name), name).get("Properties"), name + ".Properties");
            where = name;
        }
        List<Map<String, Object>> sources = List.of(
                routeSettings(api, routeKey, where), optionalMap(api.get("DefaultRouteSettings"), where + ".DefaultRouteSettings"),
                routeSettings(global, routeKey, "Globals.HttpApi"), optionalMap(global.get("DefaultRouteSettings"), "Globals.HttpApi.DefaultRouteSettings"));
        Object rate = first(sources, "ThrottlingRateLimit");
        Object burst = first(sources, "ThrottlingBurstLimit");
        if (rate == null && burst == null) {
            return null;
        }
        if (!(rate instanceof Number r) || !(burst instanceof Integer b)) {
            throw new IllegalStateException("template.yaml: " + routeKey + " needs a numeric ThrottlingRateLimit and an integer "
                    + "ThrottlingBurstLimit (in " + where + ".RouteSettings or DefaultRouteSettings), not " + rate + " and " + burst);
        }
        try {
            return new RateLimit(r.doubleValue(), b);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("template.yaml: " + routeKey + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> routeSettings(Map<String, Object> apiProperties, String routeKey, String where) {
        Map<String, Object> all = optionalMap(apiProperties.get("RouteSettings"), where + ".RouteSettings");
        return optionalMap(all.get(routeKey), where + ".RouteSettings." + routeKey);
    }

    private static Object first(List<Map<String, Object>> sources, String setting) {
        return sources.stream().map(source -> source.get(setting)).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /**
     * The HttpApi's DefaultAuthorizer: the one of the API named by ApiId, else (as SAM merges Globals into every
     * HttpApi, and uses an implicit API without ApiId) the one in Globals.HttpApi.
     */
    private static String defaultAuthorizer(Object apiId, Map<String, Object> resources, Map<String, Object> globals) {
        if (apiId instanceof Map<?, ?> ref && ref.get("Ref") instanceof String name && resources.get(name) != null) {
            Map<String, Object> apiProperties = optionalMap(map(resources.get(name), name).get("Properties"), name + ".Properties");
            Object own = optionalMap(apiProperties.get("Auth"), name + ".Properties.Auth").get("DefaultAuthorizer");
            if (own != null) {
                return string(own, name + ".Properties.Auth.DefaultAuthorizer");
            }
        }
        Map<String, Object> global = optionalMap(globals.get("HttpApi"), "Globals.HttpApi");
        Object inherited = optionalMap(global.get("Auth"), "Globals.HttpApi.Auth").get("DefaultAuthorizer");
        return inherited == null ? null : string(inherited, "Globals.HttpApi.Auth.DefaultAuthorizer");
    }

    private static Map<String, Object> optionalMap(Object value, String where) {
        return value == null ? Map.of() : map(value, where);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String where) {
        if (!(value instanceof Map<?, ?> m)) {
            throw new IllegalStateException("template.yaml: " + where + " must be a mapping");
        }
        return (Map<String, Object>) m;
    }

    private static String string(Object value, String where) {
        if (!(value instanceof String s) || s.isBlank()) {
            throw new IllegalStateException("template.yaml: " + where + " must be a literal string here, not " + value);
        }
        return s;
    }

    /**
     * SnakeYAML's safe constructor plus CloudFormation's short-form intrinsics ({@code !Ref X}, {@code !Sub ...},
     * {@code !GetAtt A.B}, {@code !If [...]} and every other {@code !Tag}): each becomes the long form, a one-entry map
     * such as {@code {"Ref": "X"}} or {@code {"Fn::Sub": "..."}}, which is all the route reader needs.
     */
    private static final class CloudFormationConstructor extends SafeConstructor {
        CloudFormationConstructor(LoaderOptions options) {
            super(options);
            yamlMultiConstructors.put("!", new Intrinsic());
        }

        private final class Intrinsic extends AbstractConstruct {
            @Override
            public Object construct(Node node) {
                String tag = node.getTag().getValue().substring(1);
                String name = tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag;
                Object value = switch (node) {
                    case ScalarNode scalar -> constructScalar(scalar);
                    case SequenceNode sequence -> constructSequence(sequence);
                    case MappingNode mapping -> constructMapping(mapping);
                    default -> throw new IllegalStateException("unexpected YAML node " + node.getNodeId());
                };
                Map<String, Object> longForm = new LinkedHashMap<>();
                longForm.put(name, value);
                return Collections.unmodifiableMap(longForm);
            }
        }
    }
}
