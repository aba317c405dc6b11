package dev.kestrel.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kestrel.events.RatingTier;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The letter scale's notches and tiers, and a bank's own scale as its data engineer writes it. */
class RatingScaleTest {
    private static final String ONE_TO_TEN = "PRIME: 1, 2, 3; INVESTMENT_GRADE: 4, 5; SPECULATIVE: 6, 7, 8; DISTRESSED: 9, 10";

    @Test
    void theLetterScaleKeepsItsNotchesAndTiers() {
        assertThat(RatingScale.LETTERS.grades()).containsExactly("AAA", "AA+", "AA", "AA-", "A+", "A", "A-", "BBB+", "BBB",
                "BBB-", "BB+", "BB", "BB-", "B+", "B", "B-", "CCC+", "CCC", "CCC-", "CC", "C", "D");
        assertThat(RatingScale.LETTERS.notch("AAA")).isZero();
        assertThat(RatingScale.LETTERS.notch("BB")).isEqualTo(RatingScale.LETTERS.notch("BBB") + 3);
        assertThat(RatingScale.LETTERS.notch("D")).isEqualTo(21);
        assertThat(RatingScale.LETTERS.notch(" bbb+ ")).isEqualTo(RatingScale.LETTERS.notch("BBB+"));
        assertThat(RatingScale.LETTERS.notch("good")).isEqualTo(-1);
        assertThat(RatingScale.LETTERS.notch(null)).isEqualTo(-1);

        assertThat(List.of("AAA", "A-", "BBB+", "BBB-", "BB+", "B-", "CCC+", "D", "good")).map(RatingScale.LETTERS::tier)
                .containsExactly(RatingTier.PRIME, RatingTier.PRIME, RatingTier.INVESTMENT_GRADE, RatingTier.INVESTMENT_GRADE,
                        RatingTier.SPECULATIVE, RatingTier.SPECULATIVE, RatingTier.DISTRESSED, RatingTier.DISTRESSED,
                        RatingTier.UNRATED);
        assertThat(RatingScale.LETTERS.tier(null)).isEqualTo(RatingTier.UNRATED);
        assertThat(RatingScale.LETTERS.isInvestmentGrade("BBB-")).isTrue();
        assertThat(RatingScale.LETTERS.isInvestmentGrade("BB+")).isFalse();
    }

    @Test
    void lettersIsThePresetAndReadsBackAsItsName() {
        assertThat(RatingScale.parse(" Letters ")).isSameAs(RatingScale.LETTERS);
        assertThat(RatingScale.LETTERS).hasToString("letters");
    }

    @Test
    void aBankOnOneToTenGroupsItsGradesByTierBestFirst() {
        RatingScale scale = RatingScale.parse(ONE_TO_TEN);

        assertThat(scale.grades()).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        assertThat(List.of("1", "3", "4", "5", "6", "8", "9", "10")).map(scale::tier)
                .containsExactly(RatingTier.PRIME, RatingTier.PRIME, RatingTier.INVESTMENT_GRADE, RatingTier.INVESTMENT_GRADE,
                        RatingTier.SPECULATIVE, RatingTier.SPECULATIVE, RatingTier.DISTRESSED, RatingTier.DISTRESSED);
        assertThat(scale.tier("11")).isEqualTo(RatingTier.UNRATED);
        assertThat(scale.tier("BBB")).isEqualTo(RatingTier.UNRATED);
        assertThat(scale.isInvestmentGrade("5")).isTrue();
        assertThat(scale.isInvestmentGrade("6")).isFalse();
        assertThat(scale).hasToString(ONE_TO_TEN);
        assertThat(RatingScale.parse(scale.toString())).isEqualTo(scale);
    }

    @Test
    void aScaleNeedNotUseEveryTier() {
        RatingScale abc = RatingScale.parse("investment_grade: A;speculative:B; DISTRESSED: C;");

        assertThat(List.of("A", "b", "C")).map(abc::tier)
                .containsExactly(RatingTier.INVESTMENT_GRADE, RatingTier.SPECULATIVE, RatingTier.DISTRESSED);
        assertThat(abc).hasToString("INVESTMENT_GRADE: A; SPECULATIVE: B; DISTRESSED: C");
    }

    @Test
    void refusesAScaleItCannotReadSayingWhatIsWrong() {
        assertThatThrownBy(() -> RatingScale.parse("1-10"))
                .hasMessage("'1-10' is not a tier and its grades: write TIER: grade, grade, with groups separated by ;");
        assertThatThrownBy(() -> RatingScale.parse("GOOD: 1, 2; BAD: 3"))
                .hasMessage("'GOOD' is not a tier: write PRIME, INVESTMENT_GRADE, SPECULATIVE or DISTRESSED");
        assertThatThrownBy(() -> RatingScale.parse("PRIME: 1; UNRATED: NR"))
                .hasMessage("'UNRATED' is not a tier: write PRIME, INVESTMENT_GRADE, SPECULATIVE or DISTRESSED");
        assertThatThrownBy(() -> RatingScale.parse("DISTRESSED: 9, 10; PRIME: 1, 2"))
                .hasMessage("PRIME comes after DISTRESSED: the tiers go best first, each once (PRIME, INVESTMENT_GRADE, SPECULATIVE, DISTRESSED)");
        assertThatThrownBy(() -> RatingScale.parse("PRIME: 1; PRIME: 2"))
                .hasMessage("PRIME appears twice: list each tier's grades in one group");
        assertThatThrownBy(() -> RatingScale.parse("PRIME: 1, 2; SPECULATIVE: 2, 3"))
                .hasMessage("grade '2' appears twice");
        assertThatThrownBy(() -> RatingScale.parse("PRIME: a; SPECULATIVE: A")).hasMessage("grade 'A' appears twice");
        assertThatThrownBy(() -> RatingScale.parse("PRIME: 1,, 3")).hasMessage("PRIME has a blank grade");
        assertThatThrownBy(() -> RatingScale.parse(" ; "))
                .hasMessage("write letters, or the grades best first grouped by tier (PRIME: 1, 2; INVESTMENT_GRADE: 3; ...)");
    }
}
