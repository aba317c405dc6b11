package dev.kestrel.jobs.score;

import dev.kestrel.contract.InvalidScorecardException;
import dev.kestrel.events.RuleVersionStatus;
import dev.kestrel.events.Scorecard;
import dev.kestrel.events.VersionRunning;
import dev.kestrel.events.VersionedKind;
import dev.kestrel.jobs.rules.RuleFiles;
import dev.kestrel.jobs.rules.VersionStatuses;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The scorecard in force: the one the job was started with, replaced by each higher version of the same scorecard
 * published since, in force from its {@code publishedAt} in event time. A borrower is scored by the version in force
 * at its clock, so a replay scores history with the scorecard of its time. A version at or below the latest, or of
 * another scorecard, is ignored: re-delivered or out-of-order records cannot roll the scorecard back.
 */
public final class ScorecardBook {
    private final List<Version> versions = new ArrayList<>();

    private ScorecardBook(CompiledScorecard start) {
        versions.add(new Version(start, Long.MIN_VALUE));
    }

    /** The book of the scorecard at {@code location} (one JSON line of Scorecard; classpath: or a file path). */
    public static ScorecardBook load(String location) {
        List<CompiledScorecard> cards = new ArrayList<>();
        read(location, (card, compiled) -> cards.add(compiled));
        if (cards.size() != 1) {
            throw new IllegalArgumentException("scorecard file " + location + " holds " + cards.size()
                    + " scorecards; the job starts with exactly one");
        }
        return new ScorecardBook(cards.get(0));
    }

    /** Publishes every scorecard version of a file of published versions (rules among them are left to the RuleBook). */
    public void publishAll(String location) {
        read(location, (card, compiled) -> publishFrom(compiled, card.getPublishedAt().toEpochMilli()));
    }

    private static void read(String location, java.util.function.BiConsumer<Scorecard, CompiledScorecard> each) {
        RuleFiles.eachRecord(location, "scorecard file", record -> {
            if (!(record instanceof Scorecard card)) {
                return null; // a rule of the same file
            }
            try {
                each.accept(card, CompiledScorecard.compile(card));
                return null;
            } catch (InvalidScorecardException e) {
                return e.getMessage();
            }
        });
    }

    /** The id of the scorecard the book follows. */
    public String scorecardId() {
        return versions.get(0).card.scorecardId();
    }

    /**
     * Puts a version in force from {@code from} (its publishedAt) if it is of this book's scorecard and above the
     * latest version; says whether it did.
     */
    public boolean publishFrom(CompiledScorecard card, long from) {
        CompiledScorecard latest = versions.get(versions.size() - 1).card;
        if (!card.scorecardId().equals(latest.scorecardId()) || card.version() <= latest.version()) {
            return false;
        }
        versions.add(new Version(card, from));
        return true;
    }

    /** The latest version. */
    public int latestVersion() {
        return versions.get(versions.size() - 1).card.version();
    }

    /** The version the book runs (its latest) and from when. */
    public VersionRunning running() {
        Version latest = versions.get(versions.size() - 1);
        return VersionStatuses.running(latest.card.version(), latest.from);
    }

    /** From when the book holds exactly this version of its scorecard, if it does. */
    public OptionalLong inForceFrom(String scorecardId, int version) {
        return versions.stream().filter(v -> v.card.scorecardId().equals(scorecardId) && v.card.version() == version)
                .mapToLong(Version::from).findFirst();
    }

    /** Every version the book holds, oldest first, each with the version that runs. */
    public List<RuleVersionStatus> versionsInForce() {
        VersionRunning running = running();
        return versions.stream().map(v -> VersionStatuses.inForce(VersionedKind.SCORECARD, v.card.scorecardId(),
                v.card.version(), v.from, running)).toList();
    }

    /** The version in force at event time {@code at}: the highest published by then. */
    public CompiledScorecard inForce(long at) {
        CompiledScorecard card = versions.get(0).card;
        for (int i = 1; i < versions.size(); i++) {
            if (versions.get(i).from <= at) {
                card = versions.get(i).card; // ascending version order
            }
        }
        return card;
    }

    /** Every version, oldest first; for tests. */
    void each(Consumer<CompiledScorecard> each) {
        versions.forEach(v -> each.accept(v.card));
    }

    private record Version(CompiledScorecard card, long from) {}
}
