package dev.kestrel.api.collections;

import dev.kestrel.api.config.CollectionSettings;
import io.micronaut.context.annotation.Context;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The ladder a new collection case follows, read from {@code kestrel.collections.ladder} once, at start: a ladder that
 * does not read stops the start with the entry at fault, rather than open cases with no steps.
 */
@Context
public final class CollectionLadder {
    /**
     * The default: a reminder on the first day of material arrears, a call within the week, a formal demand on day 30
     * (before IFRS 9 and CAS 22 presume a significant increase in credit risk, past 30 days), a lawyer's letter on day 60,
     * and legal action prepared for day 90, before the claim turns non-performing past 90 days (CRR art. 178(1)(b);
     * 办法 art. 12).
     */
    public static final String DEFAULT = "REMINDER:1,CALL:7,FORMAL_LETTER:30,LAWYERS_LETTER:60,LEGAL_ACTION:90";
    /** Ten years of arrears: a step further out is a typing error, not a plan. */
    static final int MAX_DAY = 3_650;

    /** One rung: its kind and the day of material arrears it falls due on (day 1 is the first). */
    public record Step(StepKind kind, int day) {
        /** Its due date in a case whose arrears began on {@code arrearsSince} (day 1). */
        LocalDate dueDate(LocalDate arrearsSince) {
            return arrearsSince.plusDays(day - 1L);
        }
    }

    private final List<Step> steps;

    @Inject
    CollectionLadder(CollectionSettings settings) {
        this(settings.ladder());
    }

    CollectionLadder(String text) {
        this.steps = parse(text == null || text.isBlank() ? DEFAULT : text);
    }

    public List<Step> steps() {
        return steps;
    }

    static List<Step> parse(String text) {
        List<Step> steps = new ArrayList<>();
        Set<StepKind> seen = EnumSet.noneOf(StepKind.class);
        for (String entry : text.split(",")) {
            String[] parts = entry.strip().split(":");
            if (parts.length != 2) {
                throw invalid("'" + entry.strip() + "' is not KIND:day");
            }
            StepKind kind;
            try {
                kind = StepKind.valueOf(parts[0].strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw invalid("'" + parts[0].strip() + "' is not one of "
                        + String.join(", ", Arrays.stream(StepKind.values()).map(Enum::name).toList()));
            }
            int day;
            try {
                day = Integer.parseInt(parts[1].strip());
            } catch (NumberFormatException e) {
                throw invalid(kind + ": '" + parts[1].strip() + "' is not a whole number of days");
            }
            if (day < 1 || day > MAX_DAY) {
                throw invalid(kind + ": day " + day + " is not between 1 and " + MAX_DAY);
            }
            if (!seen.add(kind)) {
                throw invalid(kind + " is listed twice");
            }
            if (!steps.isEmpty() && day < steps.get(steps.size() - 1).day()) {
                throw invalid(kind + " on day " + day + " comes before " + steps.get(steps.size() - 1).kind()
                        + " on day " + steps.get(steps.size() - 1).day() + ": list the steps in the order they fall due");
            }
            steps.add(new Step(kind, day));
        }
        return List.copyOf(steps);
    }

    private static IllegalArgumentException invalid(String problem) {
        return new IllegalArgumentException("kestrel.collections.ladder: " + problem);
    }
}
