package com.tokenwallet.quotareset;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * Once armed, kills the worker at the worst moment: at the checkpoint save of the first page in which accounts
 * were reset, after their writes and before the checkpoint records them. It throws something the store does not
 * translate (as a crash would end the invocation), once. An SDK interceptor on the test's client, so every other
 * call goes to DynamoDB Local untouched.
 */
final class CrashBeforeCheckpoint implements ExecutionInterceptor {
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicLong crashedPageSeen = new AtomicLong(-1);

    void arm() {
        armed.set(true);
    }

    /** The accounts of the page whose checkpoint was never saved, or -1 before the crash. */
    long crashedPageSeen() {
        return crashedPageSeen.get();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (!(context.request() instanceof UpdateItemRequest request) || !request.updateExpression().startsWith("SET #done")) {
            return;
        }
        AttributeValue reset = request.expressionAttributeValues().get(":reset");
        if (reset != null && Long.parseLong(reset.n()) > 0 && armed.compareAndSet(true, false)) {
            crashedPageSeen.set(Long.parseLong(request.expressionAttributeValues().get(":seen").n()));
            throw new IllegalStateException("simulated crash before the checkpoint save");
        }
    }
}
