package dev.kestrel.jobs.score;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.events.Scorecard;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Which scorecard version scores a borrower at a given event time. */
class ScorecardBookTest {
    private static final Instant MARCH = Instant.parse("2026-03-01T00:00:00Z");

    private static CompiledScorecard version(String id, int version) throws Exception {
        Scorecard card = CompiledScorecardTest.card();
        card.setScorecardId(id);
        card.setVersion(version);
        card.setPublishedAt(MARCH);
        return CompiledScorecard.compile(card);
    }

    private static ScorecardBook book() {
        return ScorecardBook.load(dev.kestrel.jobs.rules.RuleFiles.DEFAULT_SCORECARD);
    }

    @Test
    void aPublishedVersionScoresEventsFromItsPublishedAtOn() throws Exception {
        ScorecardBook book = book();

        assertThat(book.publishFrom(version("KESTREL-DEFAULT", 2), MARCH.toEpochMilli())).isTrue();

        assertThat(book.inForce(MARCH.toEpochMilli() - 1).version()).as("history keeps the version of its time").isEqualTo(1);
        assertThat(book.inForce(MARCH.toEpochMilli()).version()).isEqualTo(2);
    }

    @Test
    void anOlderOrEqualVersionCannotRollTheScorecardBack() throws Exception {
        ScorecardBook book = book();
        book.publishFrom(version("KESTREL-DEFAULT", 3), MARCH.toEpochMilli());

        assertThat(book.publishFrom(version("KESTREL-DEFAULT", 2), MARCH.toEpochMilli() + 1)).isFalse();
        assertThat(book.publishFrom(version("KESTREL-DEFAULT", 3), MARCH.toEpochMilli() + 1)).isFalse();
        assertThat(book.inForce(Long.MAX_VALUE).version()).isEqualTo(3);
    }

    @Test
    void anotherScorecardIsNotTheOneInForce() throws Exception {
        ScorecardBook book = book();

        assertThat(book.publishFrom(version("CANDIDATE", 9), MARCH.toEpochMilli())).isFalse();
        assertThat(book.inForce(Long.MAX_VALUE).scorecardId()).isEqualTo("KESTREL-DEFAULT");
    }
}
