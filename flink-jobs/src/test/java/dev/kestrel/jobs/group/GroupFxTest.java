package dev.kestrel.jobs.group;

import static dev.kestrel.jobs.Events.at;
import static dev.kestrel.jobs.Events.groupLimit;
import static dev.kestrel.jobs.Events.yuan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.events.FxRate;
import dev.kestrel.events.GroupLimit;
import dev.kestrel.events.GroupRiskSnapshot;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Members drawing in other currencies: summed in the group limit's currency, or listed and told. */
public class GroupFxTest {
    private GroupStages stages;

    @BeforeEach
    void open() throws Exception {
        stages = GroupStages.open("classpath:rules/default-rules.jsonl");
    }

    @AfterEach
    void close() throws Exception {
        stages.close();
    }

    @Test
    void sumsAMemberDrawingUsdInTheGroupLimitsCurrencyAtTheRateOfItsChange() throws Exception {
        stages.rate(rate("USD", "CNY", "7.2", 0));
        stages.limit(groupLimit("G-1", 0, 10_000_000));
        stages.member(GroupRiskFunctionTest.healthy("B-1", "G-1", 1, 5_000_000));
        stages.member(usd(GroupRiskFunctionTest.healthy("B-2", "G-1", 1, 600_000)));

        GroupRiskSnapshot snapshot = latest();
        assertThat(snapshot.getDrawnMinor()).as("CNY 5,000,000 + USD 600,000 x 7.2: 93% of the limit").isEqualTo(yuan(9_320_000));
        assertThat(stages.alerts()).extracting(alert -> alert.getRuleId() + " " + alert.getLifecycle())
                .contains("GRP-LIMIT-NEAR OPENED");
    }

    @Test
    void aMemberNoRateConvertsIsListedNotSummedAndTakenOutExactlyWhenItChanges() throws Exception {
        stages.limit(groupLimit("G-1", 0, 10_000_000));
        stages.member(GroupRiskFunctionTest.healthy("B-1", "G-1", 1, 5_000_000));
        stages.member(usd(GroupRiskFunctionTest.healthy("B-2", "G-1", 1, 500_000)));
        assertThat(latest().getDrawnMinor()).as("no USD rate: B-2 left out").isEqualTo(yuan(5_000_000));
        assertThat(latest().getMembers()).hasSize(2);

        stages.rate(rate("USD", "CNY", "7", 2));
        stages.member(usd(GroupRiskFunctionTest.healthy("B-2", "G-1", 2, 100_000)));
        assertThat(latest().getDrawnMinor()).isEqualTo(yuan(5_700_000));
        stages.rate(rate("USD", "CNY", "8", 3));
        stages.member(GroupRiskFunctionTest.healthy("B-1", "G-1", 3, 1_000_000));
        assertThat(latest().getDrawnMinor()).as("B-2 stays as added, at 7, until it changes").isEqualTo(yuan(1_700_000));
    }

    @Test
    void aLimitInANewCurrencyWhoseRecountWouldOverflowIsLeftOutWhole() throws Exception {
        long huge = Long.MAX_VALUE / 4; // in USD cents; eight times it is beyond a long
        stages.rate(rate("USD", "CNY", "8", 0));
        GroupLimit usdLimit = GroupLimit.newBuilder(groupLimit("G-1", 0, 10_000_000)).setCurrency("USD").build();
        stages.limit(usdLimit);
        MemberStatus b1 = usd(GroupRiskFunctionTest.healthy("B-1", "G-1", 1, 0));
        b1.drawnMinor = huge;
        MemberStatus b2 = usd(GroupRiskFunctionTest.healthy("B-2", "G-1", 1, 0));
        b2.drawnMinor = huge;
        stages.member(b1);
        stages.member(b2);

        stages.limit(groupLimit("G-1", 2, 10_000_000)); // in CNY: the members summed again at 8 would overflow
        stages.member(usd(GroupRiskFunctionTest.healthy("B-1", "G-1", 3, 1_000_000)));

        GroupRiskSnapshot snapshot = latest();
        assertThat(snapshot.getCurrency()).as("the new limit is left out whole: its currency too").isEqualTo("USD");
        assertThat(snapshot.getLimitMinor()).isEqualTo(yuan(10_000_000));
        assertThat(snapshot.getDrawnMinor()).as("B-2 still counted in USD as it was, B-1 at its new drawing")
                .isEqualTo(huge + yuan(1_000_000));
    }

    private GroupRiskSnapshot latest() {
        var snapshots = stages.groupSnapshots();
        return snapshots.get(snapshots.size() - 1);
    }

    private static MemberStatus usd(MemberStatus status) {
        status.currency = "USD";
        return status;
    }

    public static FxRate rate(String base, String quote, String rate, int day) {
        return FxRate.newBuilder().setEventId("FX-" + base + quote + day).setBaseCurrency(base).setQuoteCurrency(quote)
                .setRate(rate).setSource(null).setEventTime(at(day).minus(Duration.ofHours(9))).build();
    }
}
