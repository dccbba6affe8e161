package com.tokenwallet.api;

import com.amazonaws.services.lambda.runtime.Context;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.core.annotation.NonNull;
import io.micronaut.function.aws.DefaultDiagnosticInfoPopulator;
import io.micronaut.function.aws.DiagnosticInfoPopulator;
import jakarta.inject.Singleton;

/**
 * Replaces micronaut-function-aws's {@link DefaultDiagnosticInfoPopulator}, which {@code handleRequest} calls on every
 * invocation to copy the Lambda context (request id, function name, version, ARN, memory, remaining time) and the
 * X-Ray trace id into SLF4J's MDC. Nothing here reads the MDC: each function writes its own JSON line with the request
 * id (see RequestLog), so the copy would be work for nothing on every request.
 */
@Singleton
@Replaces(DefaultDiagnosticInfoPopulator.class)
public final class NoDiagnosticContext implements DiagnosticInfoPopulator {

    @Override
    public void populateMappingDiagnosticContextValues(@NonNull Context context) {
        // Intentionally nothing: see the class comment.
    }

    @Override
    public void populateMappingDiagnosticContextWithXrayTraceId() {
        // Intentionally nothing: see the class comment.
    }
}
