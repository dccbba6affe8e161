package com.tokenwallet.dynamodb.testing;

import java.util.List;
import java.util.Map;

/**
 * One request {@link FakeDynamoDb} received, as it came on the wire: the operation (from {@code X-Amz-Target}), the
 * JSON body parsed into maps, lists, strings, BigDecimals and booleans, and what was answered.
 *
 * @param status the HTTP status answered (0 when the answer was withheld by a fault)
 * @param error  the exception name answered (e.g. {@code TransactionCanceledException}), or null
 * @param fault  the scripted fault this request met, or null
 */
public record RecordedRequest(int sequence, String operation, Map<String, Object> body, int status, String error, String fault) {

    /** The value at a path of field names and list indexes, e.g. {@code at("TransactItems", 0, "Put", "Item", "PK", "S")}. */
    public Object at(Object... path) {
        Object current = body;
        for (Object step : path) {
            if (current instanceof Map<?, ?> map && step instanceof String name) {
                current = map.get(name);
            } else if (current instanceof List<?> list && step instanceof Integer i && i < list.size()) {
                current = list.get(i);
            } else {
                return null;
            }
        }
        return current;
    }

    public String string(Object... path) {
        Object v = at(path);
        return v == null ? null : v.toString();
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> object(Object... path) {
        return (Map<String, Object>) at(path);
    }

    @SuppressWarnings("unchecked")
    public List<Object> list(Object... path) {
        return (List<Object>) at(path);
    }

    @Override
    public String toString() {
        return "#" + sequence + " " + operation + " -> " + status + (error == null ? "" : " " + error) + (fault == null ? "" : " [" + fault + "]");
    }
}
