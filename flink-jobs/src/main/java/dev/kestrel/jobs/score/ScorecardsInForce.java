package dev.kestrel.jobs.score;

import dev.kestrel.contract.InvalidScorecardException;
import dev.kestrel.events.RuleVersionStatus;
import dev.kestrel.events.Scorecard;
import dev.kestrel.events.VersionedKind;
import dev.kestrel.jobs.rules.RuleFiles;
import dev.kestrel.jobs.rules.VersionReports;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
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
            for (Scorecard card : restored) {
                try {
                    loaded.publishFrom(CompiledScorecard.compile(card), card.getPublishedAt().toEpochMilli());
                } catch (InvalidScorecardException e) {
                    LOG.warn("ignoring restored scorecard that does not pass its check: {}", e.getMessage());
                }
            }
            book = loaded;
        }
        return book;
    }

    /**
     * Puts a published version in force from its {@code publishedAt}, unless it fails its check, is of another
     * scorecard, or is not above the latest version; says what it did, as the job reports it ({@link VersionReports}).
     */
    public RuleVersionStatus publish(Scorecard card, BroadcastState<String, Scorecard> published) throws Exception {
        CompiledScorecard compiled;
        try {
            compiled = CompiledScorecard.compile(card);
        } catch (InvalidScorecardException e) {
            // The route before the broadcast dead-letters malformed scorecards; this only guards against a bypass.
            LOG.warn("ignoring scorecard that does not pass its check: {}", e.getMessage());
            return VersionReports.refused(VersionedKind.SCORECARD, card.getScorecardId(), card.getVersion(),
                    "does not pass its check: " + e.getMessage());
        }
        ScorecardBook book = book(published);
        if (!book.publishFrom(compiled, card.getPublishedAt().toEpochMilli())) {
            LOG.info("scorecard {} version {} not put in force: the job scores with {} and a version above it is needed",
                    card.getScorecardId(), card.getVersion(), book.scorecardId());
            return VersionReports.refused(VersionedKind.SCORECARD, card.getScorecardId(), card.getVersion(),
                    !book.scorecardId().equals(card.getScorecardId())
                            ? "the job scores with scorecard " + book.scorecardId() + ", not " + card.getScorecardId()
                            : "version " + book.latestVersion() + " is in force; only a higher version replaces it");
        }
        published.put(card.getScorecardId() + "@" + card.getVersion(), card);
        return VersionReports.inForce(VersionedKind.SCORECARD, card.getScorecardId(), card.getVersion(),
                card.getPublishedAt().toEpochMilli());
    }
}
