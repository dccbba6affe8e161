package com.tokenwallet.bench.child;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.tokenwallet.api.WalletContexts;
import com.tokenwallet.debit.DebitHandler;
import com.tokenwallet.dynamodb.DynamoDbCallCounter;
import io.micronaut.context.ApplicationContext;

/**
 * An experiment, not a proposal of code: the debit function as a plain aws-lambda-java-core handler that keeps
 * Micronaut for wiring only. It starts the same context ApiHandler's no-argument constructor starts (every singleton
 * created eagerly) and answers through {@code ApiHandler.execute}, so no request goes through
 * {@code MicronautRequestHandler.handleRequest} (which registers the Lambda Context as beans on every invocation).
 */
public final class DirectDebitHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final ApplicationContext context;
    private final DebitHandler handler;

    public DirectDebitHandler() {
        this(true);
    }

    /** With {@code eager} false, only what ApiHandler asks for at once (the WalletService and its graph) is created. */
    public DirectDebitHandler(boolean eager) {
        this.context = WalletContexts.builder().eagerInitSingletons(eager).start();
        this.handler = new DebitHandler(context);
    }

    public DebitHandler delegate() {
        return handler;
    }

    public DynamoDbCallCounter counter() {
        return context.getBean(DynamoDbCallCounter.class);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context lambdaContext) {
        return handler.execute(event);
    }
}
