package com.tokenwallet.domain.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What one bounded run of the health check found, and how much it looked at: {@code complete} only when it reached
 * the end of the table; otherwise {@code next} continues after the last account examined, and {@code stoppedBy}
 * says which bound ended the run ({@code accounts}, {@code time} or {@code reads}). {@code creditBreaches} (issue 15)
 * counts buckets whose balance is below {@code -creditLimit}, whose holds exceed balance plus credit, with debt beside
 * tokens in lots, or with a negative lot.
 */
public record HealthReport(int accountsExamined, long itemsRead, long ledgerEntriesRead, boolean complete,
                           Optional<String> stoppedBy, Optional<String> next, Finding ledgerMismatches,
                           Finding negativeParts, Finding expiredHolds, Finding unreadable, Finding notChecked,
                           Finding creditBreaches) {

    /** One kind of problem: how many were found, and the first few. */
    public record Finding(long count, List<Example> examples) {
        public Finding {
            examples = List.copyOf(examples);
        }
    }

    /** One problem: the account, the bucket (if it is about one) and what is wrong, in words and numbers. */
    public record Example(String accountId, String bucket, String detail) {
    }

    /** Counts a kind of problem and keeps its first {@code maxExamples} examples. */
    static final class Tally {
        private final int maxExamples;
        private long count;
        private final List<Example> examples = new ArrayList<>();

        Tally(int maxExamples) {
            this.maxExamples = maxExamples;
        }

        void add(Example example) {
            count++;
            if (examples.size() < maxExamples) {
                examples.add(example);
            }
        }

        Finding finding() {
            return new Finding(count, examples);
        }
    }
}
