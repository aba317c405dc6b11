package dev.kestrel.jobs.ingest;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The AAA..D letter scale with + and - notches that bureaus, agencies and the bank's internal grades share.
 * A notch index turns "BBB+ to BB" into a number a rule can compare: a downgrade of 3 notches.
 */
public final class RatingScale {
    private static final List<String> GRADES = List.of("AAA", "AA+", "AA", "AA-", "A+", "A", "A-", "BBB+", "BBB", "BBB-",
            "BB+", "BB", "BB-", "B+", "B", "B-", "CCC+", "CCC", "CCC-", "CC", "C", "D");

    /** Grades as written on the scale, looked up first: the rating is read on every event. */
    private static final Map<String, Integer> NOTCHES = IntStream.range(0, GRADES.size()).boxed()
            .collect(Collectors.toUnmodifiableMap(GRADES::get, notch -> notch));
    public static final int INVESTMENT_GRADE_LOWEST = notch("BBB-");

    private RatingScale() {}

    /** 0 for AAA up to 21 for D; -1 when the text is not a grade of the scale. */
    public static int notch(String rating) {
        if (rating == null) {
            return -1;
        }
        Integer exact = NOTCHES.get(rating);
        return exact != null ? exact : GRADES.indexOf(rating.trim().toUpperCase(java.util.Locale.ROOT));
    }

    public static boolean isGrade(String rating) {
        return notch(rating) >= 0;
    }

    /** BBB- and better is investment grade. */
    public static boolean isInvestmentGrade(String rating) {
        int notch = notch(rating);
        return notch >= 0 && notch <= INVESTMENT_GRADE_LOWEST;
    }
}
