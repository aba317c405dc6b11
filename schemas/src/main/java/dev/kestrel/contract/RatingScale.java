package dev.kestrel.contract;

import dev.kestrel.events.RatingTier;
import java.io.Serializable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A rating scale: its grades, best first, each in a {@link RatingTier}. Two scales are in use. Bureaus and agencies
 * report {@code CreditEvent} ratings on the agencies' AAA..D letter scale, {@link #LETTERS}, always. The bank gives
 * {@code BorrowerProfile.internalRating} on its own scale, which it configures ({@code rating.internal-scale}):
 * {@code letters}, the same letter scale, or its own grades grouped by tier, e.g.
 * {@code PRIME: 1, 2, 3; INVESTMENT_GRADE: 4, 5; SPECULATIVE: 6, 7, 8; DISTRESSED: 9, 10}.
 * A notch index turns "BBB to BB" into a number a rule can compare: a downgrade of 3 notches.
 */
public final class RatingScale implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The preset name of {@link #LETTERS} in configuration. */
    public static final String LETTERS_NAME = "letters";
    /** The tiers a grade may be in, best first; UNRATED is for a rating that is not a grade of the scale. */
    private static final List<RatingTier> GRADED_TIERS = List.of(RatingTier.PRIME, RatingTier.INVESTMENT_GRADE,
            RatingTier.SPECULATIVE, RatingTier.DISTRESSED);
    private static final List<String> TIER_NAMES = GRADED_TIERS.stream().map(RatingTier::name).toList();

    /** AAA..D with + and - notches: AAA to A- PRIME, BBB+ to BBB- INVESTMENT_GRADE, BB+ to B- SPECULATIVE, CCC+ to D DISTRESSED. */
    public static final RatingScale LETTERS = new RatingScale(LETTERS_NAME, parseGroups(
            "PRIME: AAA, AA+, AA, AA-, A+, A, A-; INVESTMENT_GRADE: BBB+, BBB, BBB-; SPECULATIVE: BB+, BB, BB-, B+, B, B-; "
                    + "DISTRESSED: CCC+, CCC, CCC-, CC, C, D"));

    /** The preset's name, or null for a scale written out grade by grade. */
    private final String name;
    private final List<String> grades;
    private final List<RatingTier> tiers;
    /** Grades as written on the scale, looked up first: the rating is read on every event. */
    private final Map<String, Integer> notches;
    /** Grades in upper case, for a rating sent trimmed or cased differently ({@code bbb+}). */
    private final Map<String, Integer> upperCaseNotches;

    private RatingScale(String name, Map<String, RatingTier> gradesInTiers) {
        this.name = name;
        this.grades = List.copyOf(gradesInTiers.keySet());
        this.tiers = List.copyOf(gradesInTiers.values());
        Map<String, Integer> exact = new HashMap<>();
        Map<String, Integer> upper = new HashMap<>();
        for (int notch = 0; notch < grades.size(); notch++) {
            exact.put(grades.get(notch), notch);
            upper.put(grades.get(notch).toUpperCase(Locale.ROOT), notch);
        }
        this.notches = Map.copyOf(exact);
        this.upperCaseNotches = Map.copyOf(upper);
    }

    /**
     * Reads a scale as configured: {@code letters}, or the grades best first grouped by tier, the tiers in their order
     * and each at most once, e.g. {@code INVESTMENT_GRADE: A; SPECULATIVE: B; DISTRESSED: C}. Throws an
     * IllegalArgumentException saying what is wrong.
     */
    public static RatingScale parse(String text) {
        String trimmed = text.trim();
        if (trimmed.equalsIgnoreCase(LETTERS_NAME)) {
            return LETTERS;
        }
        return new RatingScale(null, parseGroups(trimmed));
    }

    private static Map<String, RatingTier> parseGroups(String text) {
        Map<String, RatingTier> gradesInTiers = new LinkedHashMap<>();
        Map<String, String> seen = new HashMap<>();
        int lastTier = -1;
        for (String group : text.split(";", -1)) {
            if (group.isBlank()) {
                continue; // a trailing ; loses nothing
            }
            int colon = group.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("'" + group.trim() + "' is not a tier and its grades: write TIER: grade, grade, "
                        + "with groups separated by ;");
            }
            String tierName = group.substring(0, colon).trim();
            int tier = TIER_NAMES.indexOf(tierName.toUpperCase(Locale.ROOT));
            if (tier < 0) {
                throw new IllegalArgumentException("'" + tierName + "' is not a tier: write PRIME, INVESTMENT_GRADE, SPECULATIVE "
                        + "or DISTRESSED");
            }
            if (tier == lastTier) {
                throw new IllegalArgumentException(GRADED_TIERS.get(tier) + " appears twice: list each tier's grades in one group");
            }
            if (tier < lastTier) {
                throw new IllegalArgumentException(GRADED_TIERS.get(tier) + " comes after " + GRADED_TIERS.get(lastTier)
                        + ": the tiers go best first, each once (PRIME, INVESTMENT_GRADE, SPECULATIVE, DISTRESSED)");
            }
            lastTier = tier;
            String[] grades = group.substring(colon + 1).split(",", -1);
            for (String written : grades) {
                String grade = written.trim();
                if (grade.isEmpty()) {
                    throw new IllegalArgumentException(GRADED_TIERS.get(tier) + " has a blank grade");
                }
                String before = seen.put(grade.toUpperCase(Locale.ROOT), grade);
                if (before != null) {
                    throw new IllegalArgumentException("grade '" + grade + "' appears twice");
                }
                gradesInTiers.put(grade, GRADED_TIERS.get(tier));
            }
        }
        if (gradesInTiers.isEmpty()) {
            throw new IllegalArgumentException("write letters, or the grades best first grouped by tier "
                    + "(PRIME: 1, 2; INVESTMENT_GRADE: 3; ...)");
        }
        return gradesInTiers;
    }

    /** 0 for the best grade up to one less than the number of grades for the worst; -1 when the text is not a grade of the scale. */
    public int notch(String rating) {
        if (rating == null) {
            return -1;
        }
        Integer exact = notches.get(rating);
        if (exact != null) {
            return exact;
        }
        Integer cased = upperCaseNotches.get(rating.trim().toUpperCase(Locale.ROOT));
        return cased != null ? cased : -1;
    }

    public boolean isGrade(String rating) {
        return notch(rating) >= 0;
    }

    /** The grade's tier; UNRATED when there is no rating or it is not a grade of the scale. */
    public RatingTier tier(String rating) {
        int notch = notch(rating);
        return notch < 0 ? RatingTier.UNRATED : tiers.get(notch);
    }

    /** PRIME or INVESTMENT_GRADE. */
    public boolean isInvestmentGrade(String rating) {
        RatingTier tier = tier(rating);
        return tier == RatingTier.PRIME || tier == RatingTier.INVESTMENT_GRADE;
    }

    /** The grades best first. */
    public List<String> grades() {
        return grades;
    }

    /** The scale as written in configuration: its preset name, or its grades grouped by tier. */
    @Override
    public String toString() {
        if (name != null) {
            return name;
        }
        StringBuilder text = new StringBuilder();
        for (int notch = 0; notch < grades.size(); notch++) {
            boolean newTier = notch == 0 || tiers.get(notch) != tiers.get(notch - 1);
            if (newTier) {
                text.append(notch == 0 ? "" : "; ").append(tiers.get(notch)).append(": ");
            } else {
                text.append(", ");
            }
            text.append(grades.get(notch));
        }
        return text.toString();
    }

    /** Same grades in the same order and tiers, however written. */
    @Override
    public boolean equals(Object other) {
        return other instanceof RatingScale scale && grades.equals(scale.grades) && tiers.equals(scale.tiers);
    }

    @Override
    public int hashCode() {
        return 31 * grades.hashCode() + tiers.hashCode();
    }
}
