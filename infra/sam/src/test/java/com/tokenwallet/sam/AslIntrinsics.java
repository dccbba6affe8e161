package com.tokenwallet.sam;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Enough of Amazon States Language's Parameters evaluation to check what the start machine passes on (written here:
 * no Java library evaluates ASL): keys ending in {@code .$} take a path ({@code $.a}, {@code $.a[0]}) or one of the
 * intrinsic functions States.StringSplit and States.Format, with string literals in single quotes; anything else
 * fails, so a definition that starts using more is noticed.
 */
final class AslIntrinsics {
    private AslIntrinsics() {
    }

    /** Parameters evaluated against the state's input {@code data}. */
    static Object evaluate(Object parameters, Map<String, Object> data) {
        if (!(parameters instanceof Map<?, ?> map)) {
            return parameters;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            String k = String.valueOf(key);
            if (k.endsWith(".$")) {
                out.put(k.substring(0, k.length() - 2), expression(String.valueOf(value).trim(), data));
            } else {
                out.put(k, evaluate(value, data));
            }
        });
        return out;
    }

    private static Object expression(String e, Map<String, Object> data) {
        if (e.startsWith("'") && e.endsWith("'")) {
            return e.substring(1, e.length() - 1);
        }
        if (e.startsWith("$.")) {
            return path(e, data);
        }
        int open = e.indexOf('(');
        if (open < 0 || !e.endsWith(")")) {
            throw new IllegalArgumentException("not an expression this check reads: " + e);
        }
        String function = e.substring(0, open);
        List<Object> args = arguments(e.substring(open + 1, e.length() - 1)).stream().map(a -> expression(a, data)).toList();
        return switch (function) {
            case "States.StringSplit" -> Arrays.asList(String.valueOf(args.get(0)).split(java.util.regex.Pattern.quote(String.valueOf(args.get(1))), -1));
            case "States.Format" -> {
                String template = String.valueOf(args.get(0));
                StringBuilder formatted = new StringBuilder();
                int next = 1;
                int from = 0;
                for (int at = template.indexOf("{}"); at >= 0; at = template.indexOf("{}", from)) {
                    formatted.append(template, from, at).append(args.get(next++));
                    from = at + 2;
                }
                if (next != args.size()) {
                    throw new IllegalArgumentException("States.Format with " + (args.size() - 1) + " arguments for " + (next - 1) + " placeholders: " + e);
                }
                yield formatted.append(template.substring(from)).toString();
            }
            default -> throw new IllegalArgumentException("an intrinsic function this check does not read: " + function);
        };
    }

    private static Object path(String path, Map<String, Object> data) {
        Object node = data;
        for (String part : path.substring(2).split("\\.")) {
            String name = part.contains("[") ? part.substring(0, part.indexOf('[')) : part;
            if (!(node instanceof Map<?, ?> m) || !m.containsKey(name)) {
                throw new IllegalArgumentException(path + ": no " + name + " in " + node);
            }
            node = m.get(name);
            if (part.contains("[")) {
                int index = Integer.parseInt(part.substring(part.indexOf('[') + 1, part.indexOf(']')));
                node = ((List<?>) node).get(index);
            }
        }
        return node;
    }

    /** Top-level arguments, split on commas outside quotes and parentheses. */
    private static List<String> arguments(String s) {
        List<String> args = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' && (i == 0 || s.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')') {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                args.add(s.substring(from, i).trim());
                from = i + 1;
            }
        }
        args.add(s.substring(from).trim());
        return args;
    }
}
