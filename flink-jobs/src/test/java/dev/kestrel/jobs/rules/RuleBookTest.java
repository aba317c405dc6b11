package dev.kestrel.jobs.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.events.AlertScope;
import dev.kestrel.events.Rule;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Rule versions in force by event time: the pack from the start, each published version from its publishedAt. */
class RuleBookTest {
    private static final long JUNE = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();
    private static final long JULY = Instant.parse("2026-07-01T00:00:00Z").toEpochMilli();

    @Test
    void eachVersionJudgesEventsFromItsPublicationAndTheLatestJudgesEverythingAfter() throws Exception {
        RuleBook book = RuleBook.load("classpath:rules/test-pack.jsonl");
        Rule pack = book.get("T-OVERDRAWN").source();
        book.publishFrom(RuleCompiler.compile(version(pack, 2, JUNE)), JUNE);
        book.publishFrom(RuleCompiler.compile(version(pack, 3, JULY)), JULY);
        Rule brandNew = Rule.newBuilder(pack).setRuleId("T-NEW").setVersion(1).setPublishedAt(Instant.ofEpochMilli(JULY)).build();
        book.publishFrom(RuleCompiler.compile(brandNew), JULY);

        assertThat(versionOf(book, "T-OVERDRAWN", JUNE - 1)).isEqualTo(1);
        assertThat(versionOf(book, "T-OVERDRAWN", JUNE)).isEqualTo(2);
        assertThat(versionOf(book, "T-OVERDRAWN", JULY - 1)).isEqualTo(2);
        assertThat(versionOf(book, "T-OVERDRAWN", JULY)).isEqualTo(3);
        assertThat(book.rules(AlertScope.BORROWER, JUNE)).extracting(CompiledRule::ruleId).doesNotContain("T-NEW");
        assertThat(book.rules(AlertScope.BORROWER, JULY)).extracting(CompiledRule::ruleId).contains("T-NEW");
        assertThat(book.rules(AlertScope.BORROWER, JULY)).as("after the last publication: the latest versions")
                .isSameAs(book.rules(AlertScope.BORROWER));
    }

    @Test
    void aVersionNotAboveTheLatestIsIgnoredWhateverItsTime() throws Exception {
        RuleBook book = RuleBook.load("classpath:rules/test-pack.jsonl");
        Rule pack = book.get("T-OVERDRAWN").source();
        assertThat(book.publishFrom(RuleCompiler.compile(version(pack, 3, JULY)), JULY)).isTrue();
        assertThat(book.publishFrom(RuleCompiler.compile(version(pack, 2, JUNE)), JUNE)).isFalse();
        assertThat(versionOf(book, "T-OVERDRAWN", JUNE)).isEqualTo(1);
    }

    private static Rule version(Rule rule, int version, long publishedAt) {
        return Rule.newBuilder(rule).setVersion(version).setPublishedAt(Instant.ofEpochMilli(publishedAt)).build();
    }

    private static int versionOf(RuleBook book, String ruleId, long at) {
        return book.rules(AlertScope.BORROWER, at).stream().filter(r -> r.ruleId().equals(ruleId)).findFirst().orElseThrow().version();
    }
}
