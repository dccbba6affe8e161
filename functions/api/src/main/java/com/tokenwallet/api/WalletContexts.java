package com.tokenwallet.api;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.ApplicationContextBuilder;
import io.micronaut.context.env.Environment;
import java.util.Map;

/**
 * How every function, test and the local runner build the Micronaut context: the same environments, no
 * cloud-environment deduction (it probes the network at start-up), and the given properties and singletons.
 */
public final class WalletContexts {
    private WalletContexts() {
    }

    public static ApplicationContextBuilder builder() {
        return ApplicationContext.builder()
                .environments(Environment.FUNCTION, "lambda")
                .deduceEnvironment(false)
                .deduceCloudEnvironment(false)
                .banner(false);
    }

    /**
     * The context a function builds for itself in Lambda: configuration from the environment, every singleton
     * created at once, so the first request pays for nothing and a SnapStart snapshot holds a ready function.
     */
    public static ApplicationContext startForFunction() {
        return builder().eagerInitSingletons(true).start();
    }

    /** A started context with these properties (for example {@code wallet.table}) and singleton beans. */
    public static ApplicationContext start(Map<String, Object> properties, Object... singletons) {
        return builder().properties(properties).singletons(singletons).start();
    }
}
