package com.tokenwallet.quotareset;

import com.tokenwallet.domain.port.SegmentDispatcher;
import java.util.ArrayList;
import java.util.List;

/** The port faked: keeps what would have been invoked, for the test to deliver (or not) as it likes. */
final class RecordingDispatcher implements SegmentDispatcher {
    private final List<SegmentTask> tasks = new ArrayList<>();

    @Override
    public synchronized void dispatch(SegmentTask task) {
        tasks.add(task);
    }

    /** Everything dispatched so far, and forgets it. */
    synchronized List<SegmentTask> take() {
        List<SegmentTask> taken = List.copyOf(tasks);
        tasks.clear();
        return taken;
    }
}
