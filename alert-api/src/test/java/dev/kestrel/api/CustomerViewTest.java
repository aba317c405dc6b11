package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.borrowers.BorrowerView;
import dev.kestrel.api.groups.GroupView;
import dev.kestrel.contract.Samples;
import dev.kestrel.events.Alert;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.LoanCategory;
import dev.kestrel.events.SmaClass;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The customer 360 view, the group view and the overview figures, from records the engine and master data send. */
@MicronautTest
class CustomerViewTest extends DeskTest {
    private static final Instant T0 = Samples.T0;

    @BeforeAll
    void aGroupOfTwoWithHistory() {
        BorrowerProfile first = Samples.borrowerProfile();
        BorrowerProfile second = BorrowerProfile.newBuilder(first).setBorrowerId("B-1002").setName("Jiangnan Shipping Ltd.")
                .build();
        DeskTestSupport.send(topics.profiles(), List.of(first, second));
        DeskTestSupport.send(topics.groupLimits(), List.of(Samples.groupLimit()));
        List<BorrowerRiskSnapshot> snapshots = new ArrayList<>();
        for (int day = 0; day < 5; day++) {
            // Days past due climb by ten a day; an older snapshot replayed last must not win.
            snapshots.add(BorrowerRiskSnapshot.newBuilder(Samples.borrowerRiskSnapshot())
                    .setAsOf(T0.plus(Duration.ofDays(day))).setDaysPastDue(10 * day).build());
        }
        snapshots.add(snapshots.get(1));
        snapshots.add(BorrowerRiskSnapshot.newBuilder(Samples.borrowerRiskSnapshot()).setBorrowerId("B-1002")
                .setLoanCategory(LoanCategory.SUBSTANDARD).setSmaClass(SmaClass.NPA).setDaysPastDue(95)
                .setDrawnMinor(9_000_000_000L).build());
        DeskTestSupport.send(topics.snapshots(), snapshots);
        DeskTestSupport.send(topics.alerts(), List.of(Samples.alert(),
                Alert.newBuilder(Samples.alert()).setAlertId("cv-2").setBorrowerId("B-1002").build()));
        eventually(Duration.ofSeconds(20), "everything arrives", () -> {
            var response = desk.call("ana", HttpRequest.GET("/api/borrowers/B-1001"), Argument.of(BorrowerView.class));
            return response.code() == 200 && response.body().history().size() == 5 && !response.body().openAlerts().isEmpty()
                    && desk.call("ana", HttpRequest.GET("/api/groups/G-17"), Argument.of(GroupView.class)).code() == 200;
        });
    }

    @Test
    void theBorrowerViewShowsProfileRiskAlertsAndHistory() {
        BorrowerView view = desk.get("ana", "/api/borrowers/B-1001", Argument.of(BorrowerView.class));
        assertThat(view.profile().name()).isEqualTo("Jiangnan Precision Machinery Co., Ltd.");
        assertThat(view.profile().facilities().get(0).get("facilityId").getStringValue()).isEqualTo("F-1001-A");
        assertThat(view.risk().daysPastDue()).isEqualTo(40);
        assertThat(view.risk().asOf()).isEqualTo(T0.plus(Duration.ofDays(4)));
        assertThat(view.risk().loanCategory()).isEqualTo("SPECIAL_MENTION");
        assertThat(view.risk().ratingTier()).isEqualTo("INVESTMENT_GRADE");
        assertThat(view.risk().segment()).isEqualTo("RISK_WATCH");
        assertThat(view.risk().indicators().get("limitUtilisation").get("value").getLongValue()).isEqualTo(6400L);
        assertThat(view.risk().indicators().get("limitUtilisation").get("unit").getStringValue()).isEqualTo("BASIS_POINTS");
        assertThat(view.risk().facilities().get(0).get("nonPerforming").getBooleanValue()).isFalse();
        assertThat(view.openAlerts()).extracting(a -> a.alertId()).containsExactly(Samples.alert().getAlertId());
        assertThat(view.pastAlerts()).isEmpty();
        assertThat(view.history()).extracting(BorrowerView.HistoryPoint::daysPastDue).containsExactly(0, 10, 20, 30, 40);
        assertThat(desk.call("ana", HttpRequest.GET("/api/borrowers/NOBODY"), Argument.of(String.class)).code())
                .isEqualTo(404);
    }

    @Test
    void theGroupViewGivesNoVerdictTheEngineHasNotGiven() {
        GroupView group = desk.get("ana", "/api/groups/G-17", Argument.of(GroupView.class));
        assertThat(group.groupName()).isEqualTo("Jiangnan Industrial Group");
        assertThat(group.members()).extracting(GroupView.Member::borrowerId).containsExactly("B-1002", "B-1001");
        assertThat(group.members()).extracting(GroupView.Member::loanCategory).containsExactly("SUBSTANDARD", "SPECIAL_MENTION");
        assertThat(group.limitMinor()).as("the limit master data states").isEqualTo(20_000_000_000L);
        assertThat(group.openAlerts()).hasSize(2);
        // No group snapshot from the engine yet: the desk does not sum, count or judge the members itself. A member
        // substandard and 95 days past due is shown as such, but contagion is the engine's to raise, and it has not.
        assertThat(group.engineAsOf()).isNull();
        assertThat(group.drawnMinor()).isNull();
        assertThat(group.utilisationBasisPoints()).isNull();
        assertThat(group.membersInDistress()).isNull();
        assertThat(group.worstLoanCategory()).isNull();
        assertThat(group.contagion()).isEmpty();
        assertThat(desk.call("ana", HttpRequest.GET("/api/groups/NONE"), Argument.of(String.class)).code()).isEqualTo(404);
    }

    @Test
    void statsCountWhatIsOpenAndWhatArrivedPerDay() {
        JsonNode stats = desk.get("aud", "/api/stats", Argument.of(JsonNode.class));
        assertThat(stats.get("openBySeverity").get("MEDIUM").getLongValue()).isEqualTo(2);
        assertThat(stats.get("byStatus").get("NEW").getLongValue()).isEqualTo(2);
        assertThat(stats.get("slaBreaches").getLongValue()).isZero();
        assertThat(stats.get("topRules").get(0).get("ruleId").getStringValue()).isEqualTo("REPAY-DPD-30");
        assertThat(stats.get("topRules").get(0).get("alerts").getLongValue()).isEqualTo(2);
        // Every day of the 30, today last; quiet days as 0, so a chart of them shows when alerts came.
        assertThat(stats.get("alertsPerDay").size()).isEqualTo(30);
        long total = 0;
        for (JsonNode day : stats.get("alertsPerDay").values()) {
            total += day.get("alerts").getLongValue();
        }
        assertThat(total).isEqualTo(2);
        assertThat(stats.get("alertsPerDay").get(29).get("day").getStringValue())
                .isEqualTo(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString());
        assertThat(stats.get("slaPolicy").get("CRITICAL").getStringValue()).isEqualTo("PT4H");
        assertThat(desk.call("ana", HttpRequest.GET("/api/stats?days=0"), Argument.of(String.class)).code()).isEqualTo(400);
    }
}
