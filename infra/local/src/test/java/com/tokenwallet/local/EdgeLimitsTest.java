package com.tokenwallet.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The local gateway applies the numbers of the template's edge (WAF rate-based rules), read from the template. */
class EdgeLimitsTest {
    @Test
    void theEdgesRules_areReadFromTheTemplate() {
        assertThat(TemplateRoutes.bundledEdgeLimits()).containsKeys("AnonymousPerSource", "PerCaller", "PerSource");
        assertThat(EdgeLimits.ANONYMOUS_PER_SOURCE).isEqualTo(new RateLimit(2, 120));
        assertThat(EdgeLimits.PER_CALLER).isEqualTo(new RateLimit(100, 6_000));
    }
}
