package com.tokenwallet.domain.reset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tokenwallet.domain.port.AccountScan.Checkpoint;
import com.tokenwallet.domain.port.AccountScan.Page;
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
    void aSegmentState_staysWithinItsSplitAndItsLimits() {
        assertThat(QuotaReset.SegmentState.start("quota-reset#2026-12", 31, 32).segment()).isEqualTo(31);
        assertThatThrownBy(() -> QuotaReset.SegmentState.start("quota-reset#2026-12", 32, 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QuotaReset.SegmentState.start("quota-reset#2026-12", 0, QuotaReset.MAX_SEGMENTS + 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QuotaReset.SegmentState.start(" ", 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QuotaReset.SegmentState("j", 0, 1, Optional.empty(), false, 2, 1, 0, 0))
                .hasMessageContaining("do not add up");
        assertThat(QuotaReset.jobOf("2026-12")).isEqualTo("quota-reset#2026-12");
        assertThatThrownBy(() -> QuotaReset.jobOf("2026-13")).isInstanceOf(IllegalArgumentException.class);
    }
}
