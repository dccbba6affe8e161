package com.tokenwallet.api;

import com.tokenwallet.domain.InvalidRequestException;
import java.util.List;
import java.util.Map;

/**
 * Checks every value of a request body against two rules of the API document that a JSON parser lets through:
 * no field is nullable (an explicit {@code null} would otherwise read as "absent", so {@code "amount": null} on a
 * capture captured everything), and every string, names included, is valid Unicode (JSON's {@code \ud800} escape
 * makes a lone surrogate, which cannot be stored or written back as UTF-8).
 */
final class JsonValues {
    private static final int MAX_PATH_LENGTH = 64;

    private JsonValues() {
    }

    static void check(Map<String, Object> body) {
        body.forEach((name, value) -> check(name, value, ""));
    }

    private static void check(String name, Object value, String parent) {
        String path = parent.isEmpty() ? shown(name) : parent + "." + shown(name);
        if (hasLoneSurrogate(name)) {
            throw new InvalidRequestException(parent.isEmpty() ? "body" : parent, "A field name is not valid Unicode (a lone surrogate).");
        }
        switch (value) {
            case null -> throw new InvalidRequestException(path, "'" + path + "' is null; leave the field out instead.");
            case String s when hasLoneSurrogate(s) -> throw new InvalidRequestException(path, "'" + path + "' is not valid Unicode (a lone surrogate).");
            case Map<?, ?> map -> map.forEach((k, v) -> check(String.valueOf(k), v, path));
            case List<?> list -> {
                for (int i = 0; i < list.size(); i++) {
                    check("[" + i + "]", list.get(i), path);
                }
            }
            default -> {
            }
        }
    }

    private static String shown(String name) {
        return name.length() > MAX_PATH_LENGTH || hasLoneSurrogate(name) ? "?" : name;
    }

    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
