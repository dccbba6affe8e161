package com.tokenwallet.domain.reset;

import com.tokenwallet.domain.WalletException;
import com.tokenwallet.domain.account.Account;
import com.tokenwallet.domain.account.Period;
import com.tokenwallet.domain.port.AccountScan;
import com.tokenwallet.domain.port.AccountScan.Checkpoint;
import com.tokenwallet.domain.service.WalletService;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The monthly quota reset (SPEC 4): every calendar-period account whose period has ended moves to the current
 * one, its allowance replaced by its plan's, with one plan_reset entry, through the same rule a debit applies
 * lazily ({@link WalletService#rollOverIfDue}). Each write is conditioned on the account's version, so a rerun,
 * an overlapping run or the lazy path never resets an account twice. Work is split into scan segments, each
 * with a checkpoint, so a run stopped anywhere resumes where it was.
 */
public final class QuotaReset {
    static final int PAGE = 100;

    private final AccountScan scan;
    private final WalletService wallet;
    private final Clock clock;

    public QuotaReset(AccountScan scan, WalletService wallet, Clock clock) {
        this.scan = scan;
        this.wallet = wallet;
        this.clock = clock;
    }

    /** The job's name for the period that starts at {@code now}'s month: one checkpoint set per period. */
    public String jobFor(Instant now) {
        return "quota-reset#" + Period.calendarMonthOf(now).id();
    }

    /** Works on one segment until it is done or {@code deadline} passes; returns its checkpoint. */
    public Checkpoint runSegment(String job, int segment, int totalSegments, Instant deadline) {
        Checkpoint at = scan.checkpoint(job, segment).orElse(new Checkpoint(segment, Optional.empty(), false, 0, 0, 0));
        while (!at.done() && clock.instant().isBefore(deadline)) {
            AccountScan.Page page = scan.scan(segment, totalSegments, at.position(), PAGE);
            long seen = at.seen();
            long reset = at.reset();
            long failed = at.failed();
            for (Account account : page.accounts()) {
                seen++;
                try {
                    if (wallet.rollOverIfDue(account)) {
                        reset++;
                    }
                } catch (WalletException e) {
                    // Logged by the caller through the counts; the account rolls over lazily at its next write.
                    failed++;
                }
            }
            at = new Checkpoint(segment, page.next(), page.next().isEmpty(), seen, reset, failed);
            scan.saveCheckpoint(job, at);
        }
        return at;
    }
}
