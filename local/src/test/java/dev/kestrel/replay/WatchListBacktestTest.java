package dev.kestrel.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kestrel.contract.Samples;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.BorrowerScore;
import dev.kestrel.events.WatchGrade;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The watch list's figures, checked by hand on a book of four borrowers over six months. */
class WatchListBacktestTest {
    private static final LocalDate FROM = LocalDate.parse("2026-01-01");
    private static final LocalDate TO = LocalDate.parse("2026-06-30");

    private static BorrowerScore score(String borrower, String day, int score, WatchGrade grade, WatchGrade previous) {
        return BorrowerScore.newBuilder(Samples.borrowerScore()).setBorrowerId(borrower).setScore(score).setGrade(grade)
                .setPreviousGrade(previous).setEventTime(Instant.parse(day + "T00:00:00Z")).build();
    }

    private static Alert entry(String borrower, String day) {
        return Alert.newBuilder(Samples.alert()).setAlertId("watch-" + borrower + day).setRuleId("WATCH-LIST")
                .setLifecycle(AlertLifecycle.OPENED).setBorrowerId(borrower)
                .setEpisodeStartedAt(Instant.parse(day + "T00:00:00Z")).setEventTime(Instant.parse(day + "T00:00:00Z")).build();
    }

    @Test
    void entriesForetellTheDefaultsTheyPrecedeWithinTheHorizon() {
        // B-1 enters AMBER on 02-01 and RED on 03-01, and defaults on 05-01; B-2 enters AMBER on 04-01 and never
        // defaults; B-3 defaults on 03-15 without ever entering; B-4 stays GREEN.
        List<BorrowerScore> scores = List.of(
                score("B-1", "2026-01-01", 200, WatchGrade.GREEN, null), score("B-1", "2026-02-01", 290, WatchGrade.AMBER, WatchGrade.GREEN),
                score("B-1", "2026-03-01", 330, WatchGrade.RED, WatchGrade.AMBER),
                score("B-2", "2026-01-01", 210, WatchGrade.GREEN, null), score("B-2", "2026-04-01", 275, WatchGrade.AMBER, WatchGrade.GREEN),
                score("B-3", "2026-01-01", 240, WatchGrade.GREEN, null),
                score("B-4", "2026-01-01", 180, WatchGrade.GREEN, null));
        List<Alert> alerts = List.of(entry("B-1", "2026-02-01"), entry("B-2", "2026-04-01"));
        Map<String, LocalDate> defaults = Map.of("B-1", LocalDate.parse("2026-05-01"), "B-3", LocalDate.parse("2026-03-15"));

        WatchListBacktest report = WatchListBacktest.of(alerts, scores, defaults, 4, FROM, TO, 365);

        WatchListBacktest.Threshold entered = report.threshold("entered (AMBER+)");
        assertThat(entered.entries()).isEqualTo(2);
        assertThat(entered.borrowers()).isEqualTo(2);
        assertThat(entered.foretold()).isEqualTo(1);
        assertThat(entered.precision()).isEqualTo(0.5);
        assertThat(entered.recall()).isEqualTo(0.5);
        assertThat(entered.f1()).isEqualTo(0.5);
        assertThat(entered.leadDays()).containsExactly(89L); // 02-01 to 05-01
        // Six months, four borrowers: 2 entries = 2 * 1000 / 4 / (181 / 30.4375)
        assertThat(entered.perThousandPerMonth()).isCloseTo(84.08, within(0.01));
        WatchListBacktest.Threshold red = report.threshold("RED+");
        assertThat(red.borrowers()).isEqualTo(1);
        assertThat(red.precision()).isEqualTo(1.0);
        assertThat(red.leadDays()).containsExactly(61L);
        assertThat(report.threshold("BLACK").borrowers()).isZero();
    }

    @Test
    void theAucComparesEachCutOffsScoresOfBorrowersThatDefaultedWithinTheHorizonAndOfThoseThatDidNot() {
        List<BorrowerScore> scores = List.of(
                score("B-1", "2026-01-01", 300, WatchGrade.AMBER, null),
                score("B-2", "2026-01-01", 200, WatchGrade.GREEN, null),
                score("B-3", "2026-01-01", 250, WatchGrade.GREEN, null),
                score("B-4", "2026-01-01", 250, WatchGrade.GREEN, null));
        Map<String, LocalDate> defaults = Map.of("B-1", LocalDate.parse("2026-02-10"), "B-3", LocalDate.parse("2026-02-10"));
        List<LocalDate> cutOffs = List.of(LocalDate.parse("2026-01-31"), LocalDate.parse("2026-02-28"));

        // 01-31: bad B-1 300, B-3 250; good B-2 200, B-4 250. Pairs: 300>200, 300>250, 250>200, 250=250 (half): 3.5 of 4.
        // 02-28: the defaulted are left out; only good borrowers remain, which adds no pair.
        assertThat(WatchListBacktest.auc(scores, defaults, cutOffs, 365)).isEqualTo(0.875);
    }
}
