package dev.kestrel.jobs.portfolio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.contract.Indicator;
import dev.kestrel.events.Severity;
import dev.kestrel.jobs.risk.Episode;
import dev.kestrel.jobs.risk.EventRef;
import dev.kestrel.jobs.risk.StateBytes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PortfolioStateSerializerTest {
    private static final long DAY_3 = 1767434400000L; // 2026-01-04T10:00Z
    private static final long DAY_4 = 1767520800000L;
    private final PortfolioStateSerializer serializer = new PortfolioStateSerializer();

    @Test
    void readsStateThatTheEngineWroteInFormatOne() throws IOException {
        // portfolio(), without what format 2 adds, as the format-1 engine serialised it, kept byte for byte.
        PortfolioState restored = StateBytes.read(serializer, StateBytes.kept("portfolio-state-format-1.hex"));

        assertThat(restored.segments).containsEntry("industry:C", 600_000_000L).containsEntry("region:CN-JS", 900_000_000L);
        assertThat(restored.borrowers).isEqualTo(20);
        assertThat(restored.episodes.get("industry:C")).singleElement().satisfies(e -> {
            assertThat(e.ruleId + " " + e.severity + " " + e.startedAt).isEqualTo("CONC-INDUSTRY MEDIUM " + DAY_3);
            assertThat(e.checkedAt).as("not checked by this engine yet").isEqualTo(Episode.NEVER);
            assertThat(e.unknown()).isEmpty();
        });
        assertThat(restored.lastEvent.eventId()).isEqualTo("TX-P-1-1");
    }

    @Test
    void roundTripsOpenEpisodesWithWhenTheirIndicatorsWereLastKnown() throws IOException {
        PortfolioState state = portfolio();
        Episode industry = state.episodes.get("industry:C").get(0);
        industry.checkedAt = DAY_4;
        industry.unknownSince(Indicator.PORTFOLIO_BORROWERS, Episode.NEVER);

        byte[] bytes = StateBytes.of(serializer, state);
        PortfolioState restored = StateBytes.read(serializer, bytes);

        assertThat(StateBytes.of(serializer, restored)).isEqualTo(bytes);
        Episode read = restored.episodes.get("industry:C").get(0);
        assertThat(read.checkedAt).isEqualTo(DAY_4);
        assertThat(read.lastKnownAt(Indicator.PORTFOLIO_BORROWERS)).isEqualTo(Episode.NEVER);
    }

    /** The portfolio the format-1 fixture holds. */
    private static PortfolioState portfolio() {
        PortfolioState s = new PortfolioState();
        s.clock = DAY_4;
        s.totalMinor = 2_000_000_000L;
        s.borrowers = 20;
        s.segments.put("industry:C", 600_000_000L);
        s.segments.put("region:CN-JS", 900_000_000L);
        List<Episode> open = new ArrayList<>();
        open.add(new Episode("CONC-INDUSTRY", "5a1c2b0e-3a4d-3b5e-8f60-718293a4b5c6", Severity.MEDIUM, 1, DAY_3));
        s.episodes.put("industry:C", open);
        s.lastEvent = new EventRef("TX-P-1-1", "TransactionEvent", DAY_4);
        return s;
    }
}
