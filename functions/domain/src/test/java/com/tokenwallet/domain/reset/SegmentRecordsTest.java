package com.tokenwallet.domain.reset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.port.AccountScan.Checkpoint;
import com.tokenwallet.domain.port.AccountScan.Page;
import com.tokenwallet.domain.port.SegmentDispatcher.SegmentTask;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A segment task or a checkpoint that does not add up cannot exist. */
class SegmentRecordsTest {

    @Test
    void aCheckpoint_movesPastAPage_withItsCountsAddingUp() {
        Checkpoint midway = Checkpoint.start(2, 8).after(new Page(List.of(), Optional.of("k")), 5, 3, 1);
        Checkpoint done = midway.after(new Page(List.of(), Optional.empty()), 1, 0, 0);

        assertThat(midway).isEqualTo(new Checkpoint(2, 8, Optional.of("k"), false, 9, 5, 3, 1));
        assertThat(done).isEqualTo(new Checkpoint(2, 8, Optional.empty(), true, 10, 6, 3, 1));
    }

    @Test
    void aCheckpointWhoseCountsDoNotAddUp_orOutsideItsSplit_isRefused() {
        assertThatThrownBy(() -> new Checkpoint(0, 4, Optional.empty(), false, 3, 1, 1, 0)).hasMessageContaining("do not add up");
        assertThatThrownBy(() -> new Checkpoint(0, 4, Optional.empty(), false, 0, -1, 1, 0)).hasMessageContaining("do not add up");
        assertThatThrownBy(() -> new Checkpoint(4, 4, Optional.empty(), false, 0, 0, 0, 0)).hasMessageContaining("segment 4 of 4");
        assertThatThrownBy(() -> new Checkpoint(0, 4, Optional.of("k"), true, 0, 0, 0, 0)).hasMessageContaining("done");
    }

    @Test
    void aSegmentTask_staysWithinItsSplitAndItsLimits() {
        assertThat(new SegmentTask("quota-reset#2026-12", 31, 32, "t", 0).segment()).isEqualTo(31);
        assertThatThrownBy(() -> new SegmentTask("quota-reset#2026-12", 32, 32, "t", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SegmentTask("quota-reset#2026-12", 0, SegmentTask.MAX_SEGMENTS + 1, "t", 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SegmentTask(" ", 0, 1, "t", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SegmentTask("j", 0, 1, "x".repeat(SegmentTask.MAX_NAME_LENGTH + 1), 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SegmentTask("j", 0, 1, "t", -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
