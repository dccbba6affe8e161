package com.tokenwallet.bench.reset;

import com.tokenwallet.bench.child.BenchContext;
import com.tokenwallet.quotareset.QuotaResetHandler;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Lambda context of one worker turn (one invocation by the state machine's Task state). The worker asks it after
 * each page whether more than {@link QuotaResetHandler#MARGIN} is left. With {@code pages > 0} the first
 * {@code pages - 1} answers are a second more than the margin and every later one the margin alone, so a turn reads
 * exactly {@code pages} pages (as an invocation whose time runs out would; the bench's segments are far smaller than
 * a real turn's three minutes); with {@code pages == 0} it always has the function's 300 s timeout left, and the
 * worker's own {@link QuotaResetHandler#TURN} bounds the turn.
 */
public final class TurnContext extends BenchContext {
    static final int FUNCTION_TIMEOUT_MILLIS = 300_000;

    private final int pages;
    private final AtomicInteger asked = new AtomicInteger();

    public TurnContext(int pages) {
        super("quota-reset", "live");
        if (pages < 0) {
            throw new IllegalArgumentException("pages per turn must be 0 (the worker's own turn) or more");
        }
        this.pages = pages;
    }

    @Override
    public int getRemainingTimeInMillis() {
        if (pages == 0) {
            return FUNCTION_TIMEOUT_MILLIS;
        }
        int margin = (int) QuotaResetHandler.MARGIN.toMillis();
        return asked.getAndIncrement() < pages - 1 ? margin + 1_000 : margin;
    }
}
