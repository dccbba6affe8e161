package com.tokenwallet.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.tokenwallet.domain.port.AccountScan.Checkpoint;
import com.tokenwallet.domain.port.AccountScan.Page;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Segment checkpoints and their leases: one worker at a time per segment, counts kept whole. */
class JobCheckpointsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T00:00:05Z");
    private static final String JOB = "quota-reset#2026-12";
    private DynamoDbClient client;
    private DynamoDbWalletStore store;
    private String table;

    /** The DynamoDB these tests run on; {@link LocalStackDynamoDbTest} runs them on LocalStack. */
    DynamoDbUnderTest dynamoDb() {
        return DynamoDbUnderTest.fake();
    }

    @BeforeEach
    void freshTable() {
        DynamoDbUnderTest db = dynamoDb();
        table = db.createWalletTable();
        client = db.client();
        store = new DynamoDbWalletStore(client, table, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void aSegmentNeverWorkedOn_isClaimedAtItsStart() {
        assertThat(store.checkpoints(JOB)).isEmpty();

        Optional<Checkpoint> claimed = store.claim(JOB, 3, 8, "worker-a", NOW.plusSeconds(840), NOW);

        assertThat(claimed).contains(Checkpoint.start(3, 8));
        assertThat(store.checkpoints(JOB)).containsExactly(Checkpoint.start(3, 8));
    }

    @Test
    void aLiveLease_keepsEveryOtherWorkerOff_untilItIsReleasedOrExpires() {
        store.claim(JOB, 0, 4, "worker-a", NOW.plusSeconds(600), NOW).orElseThrow();

        assertThat(store.claim(JOB, 0, 4, "worker-b", NOW.plusSeconds(600), NOW)).as("leased by worker-a").isEmpty();
        assertThat(store.claim(JOB, 0, 4, "worker-a", NOW.plusSeconds(600), NOW)).as("worker-a's retry takes it back").isPresent();
        assertThat(store.claim(JOB, 0, 4, "worker-b", NOW.plusSeconds(1200), NOW.plusSeconds(601))).as("expired").isPresent();
        assertThat(store.save(JOB, Checkpoint.start(0, 4), "worker-a", false)).as("worker-a lost the segment to worker-b").isFalse();

        assertThat(store.save(JOB, Checkpoint.start(0, 4), "worker-b", true)).isTrue();
        assertThat(store.claim(JOB, 0, 4, "worker-c", NOW.plusSeconds(600), NOW)).as("released").isPresent();
    }

    @Test
    void aSavedCheckpoint_comesBackWhole_andKeepsTheSplitItStartedWith() {
        store.claim(JOB, 1, 4, "worker-a", NOW.plusSeconds(600), NOW).orElseThrow();
        Checkpoint midway = Checkpoint.start(1, 4).after(new Page(List.of(), Optional.of("ACCOUNT#x\nACCOUNT")), 7, 2, 1);
        assertThat(store.save(JOB, midway, "worker-a", true)).isTrue();

        assertThat(store.claim(JOB, 1, 16, "worker-b", NOW.plusSeconds(600), NOW)).as("a task of another split sees the job's")
                .contains(midway);
        Checkpoint done = midway.after(new Page(List.of(), Optional.empty()), 1, 0, 0);
        assertThat(store.save(JOB, done, "worker-b", true)).isTrue();

        assertThat(store.checkpoints(JOB)).containsExactly(done);
        assertThat(done.seen()).isEqualTo(11);
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = client.getItem(b -> b.tableName(table)
                .key(Items.key("JOB#" + JOB, "SEGMENT#1"))).item();
        assertThat(item).doesNotContainKeys("position", "leaseOwner", "leaseUntil").containsKey(WalletTable.TTL_ATTRIBUTE);
    }

    @Test
    void checkpoints_comeInSegmentOrder_andOlderItemsCountTheRestAsSkipped() {
        for (int segment : new int[]{10, 2, 0}) {
            store.claim(JOB, segment, 12, "w" + segment, NOW.plusSeconds(600), NOW).orElseThrow();
        }
        // An item saved before "skipped" existed: seen 5, reset 3, failed 1.
        client.updateItem(b -> b.tableName(table).key(Items.key("JOB#" + JOB, "SEGMENT#2"))
                .updateExpression("SET seen = :s, #r = :r, failed = :f")
                .expressionAttributeNames(Map.of("#r", "reset"))
                .expressionAttributeValues(Map.of(":s", Items.n(5), ":r", Items.n(3), ":f", Items.n(1))));

        List<Checkpoint> all = store.checkpoints(JOB);

        assertThat(all).extracting(Checkpoint::segment).containsExactly(0, 2, 10);
        assertThat(all.get(1).skipped()).isEqualTo(1);
        assertThat(store.checkpoints("quota-reset#2027-01")).isEmpty();
    }
}
