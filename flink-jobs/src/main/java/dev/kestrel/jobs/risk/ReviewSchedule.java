package dev.kestrel.jobs.risk;

import dev.kestrel.events.WatchGrade;
import java.io.Serializable;
import java.time.LocalDate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How often a borrower is reviewed, by its watch-list grade: each a period in calendar months ({@code 3mo}) or days
 * ({@code 90d}), or {@code 0d} for no periodic review on that grade. The founding requirement asks for a review
 * frequency such as monthly or quarterly (定期复查频率); EBA/GL/2020/06 para 272 asks for more frequent monitoring of
 * borrowers on the watch list.
 */
public record ReviewSchedule(String green, String amber, String red, String black) implements Serializable {
    private static final Pattern PERIOD = Pattern.compile("(\\d+)(mo|d)");

    /** The longest period: ten years; a longer one is a typo, and would overflow the day arithmetic besides. */
    private static final int MAX_MONTHS = 120;

    public ReviewSchedule {
        for (String period : new String[] {green, amber, red, black}) {
            Matcher matcher = period == null ? null : PERIOD.matcher(period);
            if (matcher == null || !matcher.matches()) {
                throw new IllegalArgumentException("not a review period: write months (3mo) or days (90d); got " + period);
            }
            boolean months = matcher.group(2).equals("mo");
            if (matcher.group(1).length() > 5 || Integer.parseInt(matcher.group(1)) > (months ? MAX_MONTHS : MAX_MONTHS * 31)) {
                throw new IllegalArgumentException("a review period of at most " + MAX_MONTHS + " months (" + MAX_MONTHS * 31
                        + " days); got " + period);
            }
        }
    }

    /** Monthly on RED and BLACK, quarterly on AMBER, yearly on GREEN. */
    public static ReviewSchedule defaults() {
        return new ReviewSchedule("12mo", "3mo", "1mo", "1mo");
    }

    /** The day a review is due after one on {@code day} for a borrower of {@code grade}; NONE when the grade has none. */
    int after(int day, WatchGrade grade) {
        Matcher period = matcher(grade);
        int amount = Integer.parseInt(period.group(1));
        if (amount == 0) {
            return Days.NONE;
        }
        return period.group(2).equals("mo") ? (int) LocalDate.ofEpochDay(day).plusMonths(amount).toEpochDay() : day + amount;
    }

    /** The grade's period in words, for explanations: "12 months", "1 month", "90 days". */
    String describe(WatchGrade grade) {
        Matcher period = matcher(grade);
        int amount = Integer.parseInt(period.group(1));
        String unit = period.group(2).equals("mo") ? "month" : "day";
        return amount + " " + unit + (amount == 1 ? "" : "s");
    }

    private Matcher matcher(WatchGrade grade) {
        String text = switch (grade) {
            case GREEN -> green;
            case AMBER -> amber;
            case RED -> red;
            case BLACK -> black;
        };
        Matcher matcher = PERIOD.matcher(text);
        matcher.matches();
        return matcher;
    }
}
