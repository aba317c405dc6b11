package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.groups.GroupView;
import dev.kestrel.contract.Samples;
import dev.kestrel.events.Alert;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.LoanCategory;
import io.micronaut.core.type.Argument;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The group view once the engine has judged the group: its totals, distress and contagion are the engine's, as the
 * group snapshot and the contagion alerts state them. (Before that, {@link CustomerViewTest} shows none.)
 */
@MicronautTest
class GroupViewTest extends DeskTest {
    @Test
    void theGroupViewShowsTheEnginesGroupVerdictAndTheContagionItRaised() {
        BorrowerProfile source = BorrowerProfile.newBuilder(Samples.borrowerProfile()).setBorrowerId("B-3001")
                .setName("Donghai Steel Co.").setGroupId("G-30").build();
        BorrowerProfile exposed = BorrowerProfile.newBuilder(source).setBorrowerId("B-3002").setName("Donghai Logistics Co.").build();
        BorrowerProfile unalerted = BorrowerProfile.newBuilder(source).setBorrowerId("B-3003").setName("Donghai Trading Co.").build();
        DeskTestSupport.send(topics.profiles(), List.of(source, exposed, unalerted));
        // The engine's figures, in the limit's currency: not the sum of any member snapshot the desk holds.
        DeskTestSupport.send(topics.groupSnapshots(), List.of(dev.kestrel.events.GroupRiskSnapshot.newBuilder(Samples.groupRiskSnapshot())
                .setGroupId("G-30").setGroupName("Donghai Group").setLimitMinor(8_000_000_000L).setDrawnMinor(6_100_000_000L)
                .setUtilisationBasisPoints(7625L).setDistressedMembers(1).setNonPerformingMembers(1)
                .setWorstLoanCategory(LoanCategory.SUBSTANDARD).setOpenAlerts(List.of()).build()));
        Alert groupContagion = Alert.newBuilder(Samples.alert()).setAlertId("cv-g30-contagion")
                .setScope(dev.kestrel.events.AlertScope.GROUP).setBorrowerId(null).setGroupId("G-30").setRuleId("GRP-CONTAGION")
                .setCategory(dev.kestrel.events.AlertCategory.CONTAGION).setSeverity(dev.kestrel.events.Severity.HIGH)
                .setTitle("A member of the group is non-performing")
                .setExplanation(dev.kestrel.events.AlertExplanation.newBuilder(Samples.alert().getExplanation())
                        .setSummary("Non-performing or critical: B-3001 (SUBSTANDARD, 95 days past due).").build())
                .build();
        Alert memberContagion = Alert.newBuilder(groupContagion).setAlertId("cv-g30-contagion-B-3002")
                .setScope(dev.kestrel.events.AlertScope.BORROWER).setBorrowerId("B-3002").build();
        // An episode of another contagion rule that the engine has closed: no longer contagion, whatever the desk did.
        Alert closedEpisode = Alert.newBuilder(groupContagion).setAlertId("cv-g30-closed").setRuleId("GRP-CONTAGION-CRITICAL")
                .setLifecycle(dev.kestrel.events.AlertLifecycle.CLOSED).build();
        DeskTestSupport.send(topics.alerts(), List.of(groupContagion, memberContagion, closedEpisode));
        eventually(Duration.ofSeconds(20), "the engine's group records arrive", () -> {
            GroupView view = desk.get("ana", "/api/groups/G-30", Argument.of(GroupView.class));
            return view.engineAsOf() != null && view.members().size() == 3 && view.openAlerts().size() == 3;
        });

        GroupView group = desk.get("ana", "/api/groups/G-30", Argument.of(GroupView.class));

        assertThat(group.drawnMinor()).isEqualTo(6_100_000_000L);
        assertThat(group.limitMinor()).isEqualTo(8_000_000_000L);
        assertThat(group.utilisationBasisPoints()).isEqualTo(7625);
        assertThat(group.membersInDistress()).isEqualTo(1);
        assertThat(group.nonPerformingMembers()).isEqualTo(1);
        assertThat(group.worstLoanCategory()).isEqualTo("SUBSTANDARD");
        assertThat(group.contagion()).singleElement().satisfies(episode -> {
            assertThat(episode.alertId()).isEqualTo("cv-g30-contagion");
            assertThat(episode.summary()).isEqualTo("Non-performing or critical: B-3001 (SUBSTANDARD, 95 days past due).");
            assertThat(episode.exposedMembers()).as("only the member the engine alerted").containsExactly("B-3002");
        });
    }
}
