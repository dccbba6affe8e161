package com.tokenwallet.api;

import com.amazonaws.services.lambda.runtime.Context;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.function.aws.MicronautRequestHandler;

/**
 * The base of every function: micronaut-function-aws's {@link MicronautRequestHandler}, whose {@code handleRequest}
 * Lambda calls. It takes the invocation's Lambda {@link Context} from {@link CurrentInvocation} (which replaces the
 * library's per-invocation bean registration) and hands it to {@link #handle}, or null when the handler is called
 * without one (tests, the local runner).
 *
 * <p>The no-argument constructors of the functions, the ones Lambda uses, build their context with
 * {@link WalletContexts#startForFunction()}: every singleton created at once, so the first request pays for nothing
 * and a SnapStart snapshot holds a ready function. Tests and the local runner pass a context.
 */
public abstract class FunctionHandler<I, O> extends MicronautRequestHandler<I, O> {

    private final CurrentInvocation invocation;

    protected FunctionHandler(ApplicationContext context) {
        super(context);
        this.invocation = context.getBean(CurrentInvocation.class);
    }

    /** Called by {@code handleRequest} after it gave the Lambda context to {@link CurrentInvocation}; or directly. */
    @Override
    public final O execute(I input) {
        return handle(input, invocation.take());
    }

    /** One invocation; {@code lambdaContext} is null outside Lambda. */
    protected abstract O handle(I input, @Nullable Context lambdaContext);
}
