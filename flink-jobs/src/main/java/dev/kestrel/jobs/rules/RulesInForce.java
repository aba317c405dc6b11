package dev.kestrel.jobs.rules;

import dev.kestrel.contract.InvalidRuleException;
import dev.kestrel.events.Rule;
import dev.kestrel.events.RuleVersionStatus;
import dev.kestrel.events.VersionedKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules one operator task evaluates: the rule pack it was started with plus every version published since, each
 * in force from its {@code publishedAt} in event time. Published versions sit in broadcast state, one entry per
 * version, so they survive restarts; the compiled book is rebuilt from that state once per task. Every operator that
 * evaluates rules (borrower, group, portfolio) holds one.
 */
public final class RulesInForce {
    private static final Logger LOG = LoggerFactory.getLogger(RulesInForce.class);

    /**
     * Published rule versions, keyed {@code ruleId@version}. State written before versions were kept is keyed by the
     * rule id alone and holds its latest version; it is read the same way.
     */
    public static final MapStateDescriptor<String, Rule> PUBLISHED =
            new MapStateDescriptor<>("published-rules", Types.STRING, new AvroTypeInfo<>(Rule.class));

    private final RuleFiles files;
    private RuleBook book;
    /** Restored versions this release cannot use, as reported at the start. */
    private final List<RuleVersionStatus> droppedOnRestore = new ArrayList<>();

    public RulesInForce(RuleFiles files) {
        this.files = files;
    }

    /** The rule pack plus every published version; built on first use, after a restore from the restored state. */
    public RuleBook book(ReadOnlyBroadcastState<String, Rule> published) throws Exception {
        if (book == null) {
            RuleBook loaded = RuleBook.load(files.pack());
            if (!files.published().isEmpty()) {
                loaded.publishAll(files.published());
            }
            List<Rule> restored = new ArrayList<>();
            published.immutableEntries().forEach(entry -> restored.add(entry.getValue()));
            // Oldest version first: a newer one read first would make the book ignore the older as a rollback.
            restored.sort(Comparator.comparing(Rule::getRuleId).thenComparingInt(Rule::getVersion));
            List<RuleVersionStatus> dropped = new ArrayList<>();
            for (Rule rule : restored) {
                try {
                    loaded.publishFrom(RuleCompiler.compile(rule), rule.getPublishedAt().toEpochMilli());
                } catch (InvalidRuleException e) {
                    // A release that no longer knows what an earlier one took (a rollback): the desk must hear it.
                    LOG.warn("ignoring restored rule that does not compile: {}", e.getMessage());
                    dropped.add(VersionStatuses.refused(VersionedKind.RULE, rule.getRuleId(), rule.getVersion(),
                            "restored, but does not compile in this release: " + e.getMessage(), null));
                }
            }
            // What runs is known once every restored version is in.
            dropped.forEach(report -> droppedOnRestore.add(RuleVersionStatus.newBuilder(report)
                    .setRunning(loaded.running(report.getId())).build()));
            book = loaded;
        }
        return book;
    }

    /** What the task began with: every version it holds, then the restored ones it could not use. */
    public List<RuleVersionStatus> startReport(ReadOnlyBroadcastState<String, Rule> published) throws Exception {
        List<RuleVersionStatus> reports = new ArrayList<>(book(published).versionsInForce());
        reports.addAll(droppedOnRestore);
        return reports;
    }

    /**
     * Puts a published rule in force from its {@code publishedAt}, unless it does not compile or is not above the
     * latest version; says what it did, as the job reports it ({@link VersionReports}). The version in force delivered
     * again (the API's outbox may send twice) is reported in force again, from when it first was.
     */
    public RuleVersionStatus publish(Rule rule, BroadcastState<String, Rule> published) throws Exception {
        RuleBook book = book(published);
        String ruleId = rule.getRuleId();
        CompiledRule compiled;
        try {
            compiled = RuleCompiler.compile(rule);
        } catch (InvalidRuleException e) {
            // The route dead-letters it and passes it on, signed, so that the desk hears what runs instead.
            LOG.warn("ignoring rule that does not compile: {}", e.getMessage());
            return VersionStatuses.refused(VersionedKind.RULE, ruleId, rule.getVersion(), "does not compile: " + e.getMessage(),
                    book.running(ruleId));
        }
        if (!book.publishFrom(compiled, rule.getPublishedAt().toEpochMilli())) {
            OptionalLong held = book.inForceFrom(ruleId, rule.getVersion());
            return held.isPresent()
                    ? VersionStatuses.inForce(VersionedKind.RULE, ruleId, rule.getVersion(), held.getAsLong(), book.running(ruleId))
                    : VersionStatuses.refused(VersionedKind.RULE, ruleId, rule.getVersion(), "version "
                            + book.latestVersion(ruleId) + " is in force; only a higher version replaces it", book.running(ruleId));
        }
        published.put(ruleId + "@" + rule.getVersion(), rule);
        return VersionStatuses.inForce(VersionedKind.RULE, ruleId, rule.getVersion(), rule.getPublishedAt().toEpochMilli(),
                book.running(ruleId));
    }
}
