package com.tokenwallet.simulation;

import com.tokenwallet.domain.testing.FaultInjectingWalletStore;
import com.tokenwallet.domain.testing.FaultInjectingWalletStore.Fault;
import com.tokenwallet.domain.StoreUnavailableException;
import com.tokenwallet.domain.port.PaymentRecords;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.SplittableRandom;

/**
 * The store port as a Lambda instance sees it in the simulation: every call is a point where the scheduler may
 * switch clients, and every write may meet a fault the seed picks: those of the domain's
 * {@link FaultInjectingWalletStore} (the commit whose answer is lost, a timeout before the commit, throttling, a
 * conflict), or the instance dying between its read and its write, or right after its write committed
 * ({@link InstanceDied}: the answer and the instance's caches are lost). Reads are sometimes throttled too.
 */
final class StoreFaults {
    /** The Lambda instance died at the store call: the client gets no answer, the instance's caches are gone. */
    static final class InstanceDied extends RuntimeException {
        InstanceDied() {
            super("(simulated) the Lambda instance died between its read and its write", null, false, false);
        }
    }

    private final Scheduler scheduler;
    private final SplittableRandom random;
    private final int faultPercent;

    StoreFaults(Scheduler scheduler, SplittableRandom random, int faultPercent) {
        this.scheduler = scheduler;
        this.random = random;
        this.faultPercent = faultPercent;
    }

    /** {@code faults} (around the engine) as one instance's port; {@code died} runs when the instance dies. */
    StorePorts port(FaultInjectingWalletStore faults, Runnable died) {
        return (StorePorts) Proxy.newProxyInstance(StorePorts.class.getClassLoader(), new Class<?>[] {StorePorts.class},
                (proxy, method, args) -> {
                    scheduler.yieldPoint();
                    String name = method.getName();
                    boolean write = name.equals("write") || name.equals("create");
                    boolean dieAfter = false;
                    if (write) {
                        dieAfter = inject(faults, name.equals("write"), died);
                    } else if (!name.equals("shards") && random.nextInt(100) < faultPercent / 4) {
                        throw new StoreUnavailableException("(simulated) the store throttled the read " + name + "; nothing was read.");
                    }
                    Object answer;
                    try {
                        answer = method.invoke(faults, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (dieAfter) {
                        died.run();
                        throw new InstanceDied(); // after the commit: the answer is lost with the instance and its caches
                    }
                    return answer;
                });
    }

    /** The payment records (offers, owed payments) as one instance sees them: each call a point where clients switch. */
    PaymentRecords records(PaymentRecords records) {
        return (PaymentRecords) Proxy.newProxyInstance(PaymentRecords.class.getClassLoader(), new Class<?>[] {PaymentRecords.class},
                (proxy, method, args) -> {
                    scheduler.yieldPoint();
                    try {
                        return method.invoke(records, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Arms the write's fault, if the seed picks one; true when the instance is to die once the write has committed. */
    private boolean inject(FaultInjectingWalletStore faults, boolean write, Runnable died) {
        if (random.nextInt(100) >= faultPercent) {
            return false;
        }
        switch (random.nextInt(write ? 6 : 5)) {
            case 0 -> faults.failNextWrites(Fault.COMMIT_THEN_LOSE_ANSWER, 1);
            case 1 -> faults.failNextWrites(Fault.THROTTLED, 1);
            case 2 -> faults.failNextWrites(Fault.FAIL_BEFORE_COMMIT, 1);
            case 3 -> {
                died.run();
                throw new InstanceDied();
            }
            case 4 -> {
                return true;
            }
            default -> faults.failNextWrites(Fault.STALE_CONFLICT, 1);
        }
        return false;
    }
}
