package dev.kestrel.jobs.ingest;

import dev.kestrel.events.DeadLetter;
import dev.kestrel.events.DeadLetterReason;
import dev.kestrel.events.FxRate;
import dev.kestrel.events.GroupLimit;
import dev.kestrel.events.LimitDecision;
import dev.kestrel.events.Rule;
import dev.kestrel.events.Scorecard;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * What a source hands on for one Kafka record: a borrower event, a rule, a scorecard, a group limit, an FX rate, a limit
 * decision, or the dead letter saying why the record is none of them. Bad input is a value here, not an exception, so it
 * can never fail the job. Events and rules keep where they came from and their raw bytes, so a later check (lateness,
 * rule compilation) can still dead-letter them whole.
 */
public class Inbound {
    public BorrowerEvent event;
    public Rule rule;
    public Scorecard scorecard;
    public GroupLimit groupLimit;
    public FxRate fxRate;
    public LimitDecision limitDecision;
    public DeadLetter deadLetter;
    public String sourceTopic;
    public int partition;
    public long offset;
    public byte[] key;
    public byte[] payload;

    public Inbound() {}

    static Inbound decoded(BorrowerEvent event, Rule rule, String topic, int partition, long offset, byte[] key, byte[] payload) {
        Inbound inbound = new Inbound();
        inbound.event = event;
        inbound.rule = rule;
        inbound.sourceTopic = topic;
        inbound.partition = partition;
        inbound.offset = offset;
        inbound.key = key;
        inbound.payload = payload;
        return inbound;
    }

    static Inbound scorecard(Scorecard card, String topic, int partition, long offset, byte[] key, byte[] payload) {
        Inbound inbound = decoded(null, null, topic, partition, offset, key, payload);
        inbound.scorecard = card;
        return inbound;
    }

    static Inbound limitDecision(LimitDecision decision, String topic, int partition, long offset, byte[] key, byte[] payload) {
        Inbound inbound = decoded(null, null, topic, partition, offset, key, payload);
        inbound.limitDecision = decision;
        return inbound;
    }

    static Inbound groupLimit(GroupLimit limit) {
        Inbound inbound = new Inbound();
        inbound.groupLimit = limit;
        return inbound;
    }

    static Inbound fxRate(FxRate rate) {
        Inbound inbound = new Inbound();
        inbound.fxRate = rate;
        return inbound;
    }

    static Inbound deadLetter(DeadLetter deadLetter) {
        Inbound inbound = new Inbound();
        inbound.deadLetter = deadLetter;
        return inbound;
    }

    /** The dead letter for this record, whole, with the reason it cannot be used. */
    DeadLetter reject(String recordType, DeadLetterReason code, String reason) {
        return deadLetter(sourceTopic, partition, offset, key, payload, recordType, code, reason);
    }

    static DeadLetter deadLetter(String topic, int partition, long offset, byte[] key, byte[] payload, String recordType,
            DeadLetterReason code, String reason) {
        return DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setPayload(ByteBuffer.wrap(payload == null ? new byte[0] : payload))
                .setRecordType(recordType)
                .setReasonCode(code)
                .setReason(reason)
                .setFailedAt(Instant.now())
                .build();
    }

    @Override
    public String toString() {
        return event != null ? event.toString() : rule != null ? "Rule[" + rule.getRuleId() + " v" + rule.getVersion() + "]"
                : scorecard != null ? "Scorecard[" + scorecard.getScorecardId() + " v" + scorecard.getVersion() + "]"
                : groupLimit != null ? "GroupLimit[" + groupLimit.getGroupId() + "]"
                : fxRate != null ? "FxRate[" + fxRate.getBaseCurrency() + "/" + fxRate.getQuoteCurrency() + " " + fxRate.getRate() + "]"
                : limitDecision != null ? "LimitDecision[" + limitDecision.getDecisionId() + " " + limitDecision.getAction() + "]"
                : "DeadLetter[" + deadLetter.getReasonCode() + ": " + deadLetter.getReason() + "]";
    }
}
