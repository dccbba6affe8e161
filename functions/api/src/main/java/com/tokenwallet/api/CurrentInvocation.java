package com.tokenwallet.api;

import com.amazonaws.services.lambda.runtime.Context;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.function.aws.DefaultLambdaContextFactory;
import io.micronaut.function.aws.LambdaContextFactory;
import jakarta.inject.Singleton;

/**
 * Replaces micronaut-function-aws's {@link DefaultLambdaContextFactory}. {@code MicronautRequestHandler.handleRequest}
 * calls the factory on every invocation, and the library's registers the Lambda {@link Context} (and its
 * LambdaLogger, ClientContext and CognitoIdentity) as new singletons each time. Since Micronaut 4 every
 * registration adds a bean definition that later lookups scan, so a warm instance gets slower with every request it
 * has served (about 1.1 µs more per invocation already served, several ms a call after 10,000) and its heap grows.
 *
 * <p>This one registers nothing: it keeps the invocation's context for the thread that runs it, and the handler's
 * {@code execute} (which {@code handleRequest} calls next) takes it. Nothing here injects a Lambda {@code Context}
 * bean. Each handler extends {@code MicronautRequestHandler} with concrete type arguments itself (no generic class in
 * between), so that the library and Lambda's runtime both read its event type from them.
 */
@Singleton
@Replaces(DefaultLambdaContextFactory.class)
public final class CurrentInvocation implements LambdaContextFactory {

    private final ThreadLocal<Context> current = new ThreadLocal<>();

    @Override
    public void registerSingletons(@NonNull Context lambdaContext) {
        current.set(lambdaContext);
    }

    /** The context of the invocation this thread is running (null outside Lambda), forgotten once taken. */
    public Context take() {
        Context context = current.get();
        current.remove();
        return context;
    }
}
