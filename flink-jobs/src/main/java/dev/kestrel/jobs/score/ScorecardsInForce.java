package dev.kestrel.jobs.score;

import dev.kestrel.contract.InvalidScorecardException;
import dev.kestrel.events.RuleVersionStatus;
import dev.kestrel.events.Scorecard;
import dev.kestrel.events.VersionRunning;
import dev.kestrel.events.VersionedKind;
import dev.kestrel.jobs.rules.RuleFiles;
import dev.kestrel.jobs.rules.VersionReports;
import dev.kestrel.jobs.rules.VersionStatuses;
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
 * The scorecard one task scores with: the one it was started with plus every version published since, kept in
 * broadcast state (one entry per version) so they survive restarts, as the rules are ({@code RulesInForce}).
 */
public final class ScorecardsInForce {
    private static final Logger LOG = LoggerFactory.getLogger(ScorecardsInForce.class);

    /** Published scorecard versions, keyed {@code scorecardId@version}. */
    public static final MapStateDescriptor<String, Scorecard> PUBLISHED =
            new MapStateDescriptor<>("published-scorecards", Types.STRING, new AvroTypeInfo<>(Scorecard.class));

    private final RuleFiles files;
    private ScorecardBook book;
    /** Restored versions this release cannot use, as reported at the start. */
    private final List<RuleVersionStatus> droppedOnRestore = new ArrayList<>();

    public ScorecardsInForce(RuleFiles files) {
        this.files = files;
    }

    /** The scorecard's versions; built on first use, after a restore from the restored state. */
    public ScorecardBook book(ReadOnlyBroadcastState<String, Scorecard> published) throws Exception {
        if (book == null) {
            ScorecardBook loaded = ScorecardBook.load(files.scorecard());
            if (!files.published().isEmpty()) {
                loaded.publishAll(files.published());
            }
            List<Scorecard> restored = new ArrayList<>();
            published.immutableEntries().forEach(entry -> restored.add(entry.getValue()));
            restored.sort(Comparator.comparingInt(Scorecard::getVersion)); // oldest first: see RulesInForce
            List<RuleVersionStatus> dropped = new ArrayList<>();
            for (Scorecard card : restored) {
                try {
                    loaded.publishFrom(CompiledScorecard.compile(card), card.getPublishedAt().toEpochMilli());
                } catch (InvalidScorecardException e) {
                    // A release that no longer accepts what an earlier one took (a rollback): the desk must hear it.
                    LOG.warn("ignoring restored scorecard that does not pass its check: {}", e.getMessage());
                    dropped.add(VersionStatuses.refused(VersionedKind.SCORECARD, card.getScorecardId(), card.getVersion(),
                            "restored, but does not pass its check in this release: " + e.getMessage(), null));
                }
            }
            // What runs is known once every restored version is in.
            dropped.forEach(report -> droppedOnRestore.add(RuleVersionStatus.newBuilder(report)
                    .setRunning(report.getId().equals(loaded.scorecardId()) ? loaded.running() : null).build()));
            book = loaded;
        }
        return book;
    }

    /** What the task began with: every version it holds, then the restored ones it could not use. */
    public List<RuleVersionStatus> startReport(ReadOnlyBroadcastState<String, Scorecard> published) throws Exception {
        List<RuleVersionStatus> reports = new ArrayList<>(book(published).versionsInForce());
        reports.addAll(droppedOnRestore);
        return reports;
    }

    /**
     * Puts a published version in force from its {@code publishedAt}, unless it fails its check, is of another
     * scorecard, or is not above the latest version; says what it did, as the job reports it ({@link VersionReports}).
     * The version in force delivered again is reported in force again, from when it first was.
     */
    public RuleVersionStatus publish(Scorecard card, BroadcastState<String, Scorecard> published) throws Exception {
        ScorecardBook book = book(published);
        String id = card.getScorecardId();
        // Only the job's own scorecard has a version running; another one it never scores with.
        VersionRunning running = id.equals(book.scorecardId()) ? book.running() : null;
        CompiledScorecard compiled;
        try {
            compiled = CompiledScorecard.compile(card);
        } catch (InvalidScorecardException e) {
            // The route dead-letters it and passes it on, signed, so that the desk hears what runs instead.
            LOG.warn("ignoring scorecard that does not pass its check: {}", e.getMessage());
            return VersionStatuses.refused(VersionedKind.SCORECARD, id, card.getVersion(), "does not pass its check: "
                    + e.getMessage(), running);
        }
        if (!book.publishFrom(compiled, card.getPublishedAt().toEpochMilli())) {
            OptionalLong held = book.inForceFrom(id, card.getVersion());
            if (held.isPresent()) {
                return VersionStatuses.inForce(VersionedKind.SCORECARD, id, card.getVersion(), held.getAsLong(), running);
            }
            LOG.info("scorecard {} version {} not put in force: the job scores with {} and a version above it is needed",
                    id, card.getVersion(), book.scorecardId());
            return VersionStatuses.refused(VersionedKind.SCORECARD, id, card.getVersion(), !book.scorecardId().equals(id)
                    ? "the job scores with scorecard " + book.scorecardId() + ", not " + id
                    : "version " + book.latestVersion() + " is in force; only a higher version replaces it", running);
        }
        published.put(id + "@" + card.getVersion(), card);
        return VersionStatuses.inForce(VersionedKind.SCORECARD, id, card.getVersion(), card.getPublishedAt().toEpochMilli(),
                book.running());
    }
}
