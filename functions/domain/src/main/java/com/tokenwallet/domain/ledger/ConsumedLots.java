package com.tokenwallet.domain.ledger;

import com.tokenwallet.domain.account.Consumed;
import com.tokenwallet.domain.account.Lot;
import com.tokenwallet.domain.account.LotSource;
import com.tokenwallet.domain.account.LotView;
import com.tokenwallet.domain.json.StrictJson;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How every store keeps a debit's or capture's {@code consumed} lots with its ledger entry: one JSON text
 * ({@code {"lots":[{"lotId","part","source","amount","priority"?,"granted"?,"createdAt"?,"expiresAt"?,"costBasis"?,
 * "reference"?}]}}, the optional fields only for stored lots, see {@link Consumed#recorded()}), written in the same
 * write as the entry, read back by the refund's one read. Entries written before it (or of other types) have none.
 */
public final class ConsumedLots {
    private ConsumedLots() {
    }

    /** The stored text of {@code consumed}, or null when there is nothing to store. */
    public static String encode(List<Consumed> consumed) {
        if (consumed == null || consumed.isEmpty()) {
            return null;
        }
        List<Object> lots = new ArrayList<>();
        for (Consumed c : consumed) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("lotId", c.lotId());
            m.put("part", c.part().name().toLowerCase(Locale.ROOT));
            m.put("source", c.source().wireName());
            m.put("amount", c.amount());
            if (c.part() == LotView.Part.STORED) {
                m.put("priority", c.priority());
                m.put("granted", c.granted());
                m.put("createdAt", c.createdAt().toString());
            }
            if (c.expiresAt() != null) {
                m.put("expiresAt", c.expiresAt().toString());
            }
            if (c.costBasis() != null) {
                m.put("costBasis", c.costBasis().toPlainString());
            }
            if (c.reference() != null) {
                m.put("reference", c.reference());
            }
            lots.add(m);
        }
        return StrictJson.write(Map.of("lots", lots));
    }

    /** The lots of a stored text (empty for null). */
    public static List<Consumed> decode(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        try {
            Map<String, Object> root = StrictJson.object(text);
            List<Consumed> out = new ArrayList<>();
            for (Object o : (List<?>) root.get("lots")) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) o;
                out.add(new Consumed((String) m.get("lotId"), LotSource.fromWireName((String) m.get("source")),
                        ((Number) m.get("amount")).longValue(),
                        m.containsKey("expiresAt") ? Instant.parse((String) m.get("expiresAt")) : null,
                        m.containsKey("costBasis") ? new BigDecimal((String) m.get("costBasis")) : null,
                        LotView.Part.valueOf(((String) m.get("part")).toUpperCase(Locale.ROOT)),
                        m.containsKey("priority") ? ((Number) m.get("priority")).intValue() : Lot.DEFAULT_PRIORITY,
                        (String) m.get("reference"),
                        m.containsKey("createdAt") ? Instant.parse((String) m.get("createdAt")) : null,
                        m.containsKey("granted") ? ((Number) m.get("granted")).longValue() : 0));
            }
            return List.copyOf(out);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("stored consumed lots are not readable: " + text, e);
        }
    }
}
