package dev.kestrel.contract;

import dev.kestrel.events.AlertScope;
import dev.kestrel.events.GradeThreshold;
import dev.kestrel.events.RatingBand;
import dev.kestrel.events.ScoreBin;
import dev.kestrel.events.ScoreFactor;
import dev.kestrel.events.ScoreScaling;
import dev.kestrel.events.Scorecard;
import dev.kestrel.events.WatchGrade;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything that makes a scorecard valid beyond its schema: factors that each bin one known borrower signal, bins
 * that put every value in exactly one, grade thresholds that rise, rating bands that cover every PD. The engine checks
 * each published version with it before scoring with it, and the alert API checks a proposal with it before anyone
 * can publish it, so both refuse the same scorecards with the same reasons. A reason starts with the scorecard's id
 * and the path of the field, then the value found, e.g.
 * {@code KESTREL-DEFAULT: factors[2].bins[1].from: 30 overlaps bins[0], which runs to 60}.
 */
public final class ScorecardCheck {
    /** Enough factors for any real scorecard, few enough that scoring a borrower stays cheap. */
    static final int MAX_FACTORS = 200;
    /**
     * Bound of every points value: with at most {@link #MAX_FACTORS} factors a score stays within about ±20 million,
     * so neither a sum of points nor the difference of two scores can overflow an int.
     */
    static final int MAX_POINTS = 100_000;
    /** Ten years: a longer stay is a typo, not a policy. */
    static final int MAX_STAY_DAYS = 3650;
    static final int ALL_BASIS_POINTS = 10_000;
    /** GREEN has no threshold: it is every score below AMBER's enterAt. */
    private static final List<WatchGrade> GRADES = List.of(WatchGrade.AMBER, WatchGrade.RED, WatchGrade.BLACK);

    private ScorecardCheck() {}

    public static void check(Scorecard card) throws InvalidScorecardException {
        String id = card.getScorecardId();
        if (blank(id)) {
            throw new InvalidScorecardException("scorecardId is blank");
        }
        if (card.getVersion() < 1) {
            throw refused(id, "version", card.getVersion() + "; versions start at 1");
        }
        if (blank(card.getTitle())) {
            throw refused(id, "title", "blank; the desk reads it");
        }
        if (blank(card.getRationale())) {
            throw refused(id, "rationale", "blank; it says what the scorecard is for and where its points come from");
        }
        points(id, "basePoints", card.getBasePoints());
        scaling(id, card.getScaling());
        factors(id, card.getFactors());
        grades(id, card.getGrades());
        if (card.getMinimumStayDays() < 0 || card.getMinimumStayDays() > MAX_STAY_DAYS) {
            throw refused(id, "minimumStayDays", card.getMinimumStayDays() + " is outside 0.." + MAX_STAY_DAYS);
        }
        if (card.getCoreMaxPdBasisPoints() < 0 || card.getCoreMaxPdBasisPoints() > ALL_BASIS_POINTS) {
            throw refused(id, "coreMaxPdBasisPoints", card.getCoreMaxPdBasisPoints() + " is outside 0.." + ALL_BASIS_POINTS);
        }
        ratingBands(id, card.getRatingBands());
        if (card.getPublishedAt() == null) {
            throw refused(id, "publishedAt", "missing; a version scores events from the time it was published");
        }
    }

    /** A PD of 0 or of 100% has no odds to double, so the anchor lies strictly between. */
    private static void scaling(String id, ScoreScaling scaling) throws InvalidScorecardException {
        if (scaling == null) {
            throw refused(id, "scaling", "missing");
        }
        if (scaling.getAnchorPdBasisPoints() < 1 || scaling.getAnchorPdBasisPoints() >= ALL_BASIS_POINTS) {
            throw refused(id, "scaling.anchorPdBasisPoints", scaling.getAnchorPdBasisPoints() + " is outside 1.."
                    + (ALL_BASIS_POINTS - 1) + "; a PD of 0 or 100% has no odds");
        }
        if (scaling.getPointsToDoubleOdds() <= 0) {
            throw refused(id, "scaling.pointsToDoubleOdds", scaling.getPointsToDoubleOdds()
                    + " is not above 0; more points must mean higher odds of default");
        }
    }

    private static void factors(String id, List<ScoreFactor> factors) throws InvalidScorecardException {
        if (factors == null || factors.isEmpty()) {
            throw refused(id, "factors", "none; a scorecard needs at least one");
        }
        if (factors.size() > MAX_FACTORS) {
            throw refused(id, "factors", factors.size() + " of them; at most " + MAX_FACTORS);
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < factors.size(); i++) {
            ScoreFactor factor = factors.get(i);
            String path = "factors[" + i + "]";
            if (blank(factor.getFactorId())) {
                throw refused(id, path + ".factorId", "blank");
            }
            Integer earlier = seen.putIfAbsent(factor.getFactorId(), i);
            if (earlier != null) {
                throw refused(id, path + ".factorId", "'" + factor.getFactorId() + "' repeats factors[" + earlier + "]");
            }
            if (blank(factor.getTitle())) {
                throw refused(id, path + ".title", "blank; the desk reads it");
            }
            if (blank(factor.getRationale())) {
                throw refused(id, path + ".rationale", "blank; it says why the bins are worth their points");
            }
            signal(id, path, factor);
            bins(id, path, factor.getBins());
            points(id, path + ".unknownPoints", factor.getUnknownPoints());
            points(id, path + ".notApplicablePoints", factor.getNotApplicablePoints());
        }
    }

    /**
     * A factor bins one signal: a borrower indicator, or the state of a borrower rule's alert. Whether the rule exists
     * is not checked: rules are published at run time, and a factor on a rule not in force scores its unknownPoints.
     */
    private static void signal(String id, String path, ScoreFactor factor) throws InvalidScorecardException {
        String name = factor.getIndicator();
        String ruleId = factor.getRuleId();
        if (name != null && ruleId != null) {
            throw refused(id, path, "sets both indicator '" + name + "' and ruleId '" + ruleId
                    + "'; a factor bins exactly one of them");
        }
        if (name == null && ruleId == null) {
            throw refused(id, path, "sets neither indicator nor ruleId; a factor bins exactly one of them");
        }
        if (ruleId != null) {
            if (ruleId.isBlank()) {
                throw refused(id, path + ".ruleId", "blank");
            }
            return;
        }
        Indicator indicator = Indicator.named(name);
        if (indicator == null) {
            throw refused(id, path + ".indicator", "unknown indicator '" + name + "'; docs/rules.md lists the indicators");
        }
        if (indicator.scope() != AlertScope.BORROWER) {
            throw refused(id, path + ".indicator", "'" + name + "' is a " + indicator.scope()
                    + " indicator; a scorecard scores borrowers, so it bins " + AlertScope.BORROWER + " indicators only");
        }
    }

    /** Every value falls in exactly one bin: the first unbounded below, the last above, each next from the previous to. */
    private static void bins(String id, String factorPath, List<ScoreBin> bins) throws InvalidScorecardException {
        if (bins == null || bins.isEmpty()) {
            throw refused(id, factorPath + ".bins", "none; a factor needs at least one (a single bin from null to null"
                    + " gives every value the same points)");
        }
        for (int j = 0; j < bins.size(); j++) {
            ScoreBin bin = bins.get(j);
            String path = factorPath + ".bins[" + j + "]";
            boolean first = j == 0;
            boolean last = j == bins.size() - 1;
            Long from = bin.getFrom();
            Long to = bin.getTo();
            if (first) {
                if (from != null) {
                    throw refused(id, path + ".from", from + ", but the first bin has no lower bound (null),"
                            + " or values below " + from + " would fall in no bin");
                }
            } else {
                if (from == null) {
                    throw refused(id, path + ".from", "null, but only the first bin has no lower bound");
                }
                // Not null: the previous bin was not the last, and was checked to have an upper bound.
                long previousTo = bins.get(j - 1).getTo();
                String previous = "bins[" + (j - 1) + "], which runs to " + previousTo;
                if (from > previousTo) {
                    throw refused(id, path + ".from", from + " leaves a gap after " + previous + ": "
                            + (from - 1 == previousTo ? "value " + previousTo + " falls"
                            : "values " + previousTo + " to " + (from - 1) + " fall") + " in no bin");
                }
                if (from < previousTo) {
                    throw refused(id, path + ".from", from + " overlaps " + previous);
                }
            }
            if (last) {
                if (to != null) {
                    throw refused(id, path + ".to", to + ", but the last bin has no upper bound (null),"
                            + " or values from " + to + " up would fall in no bin");
                }
            } else {
                if (to == null) {
                    throw refused(id, path + ".to", "null, but only the last bin has no upper bound");
                }
                if (!first && to <= from) {
                    throw refused(id, path + ".to", to + " is not above from " + from + "; the bin would hold no value");
                }
            }
            if (blank(bin.getLabel())) {
                throw refused(id, path + ".label", "blank; the desk reads it");
            }
            points(id, path + ".points", bin.getPoints());
        }
    }

    /**
     * AMBER, RED and BLACK, each entered at a higher score than the one before and left below a higher score too. A
     * grade is left at or below the score that enters it, so a score hovering at the threshold does not flap; and a
     * worse grade is left only above the better grade's entry, so that leaving it lands in the better grade, never
     * below it.
     */
    private static void grades(String id, List<GradeThreshold> grades) throws InvalidScorecardException {
        List<GradeThreshold> given = grades == null ? List.of() : grades;
        for (int i = 0; i < given.size(); i++) {
            if (given.get(i).getGrade() == WatchGrade.GREEN) {
                throw refused(id, "grades[" + i + "].grade", "GREEN has no threshold: it is every score below AMBER's enterAt");
            }
        }
        if (given.size() != GRADES.size()) {
            throw refused(id, "grades", given.size() + " given; a scorecard needs AMBER, RED and BLACK, once each, in that order");
        }
        for (int i = 0; i < GRADES.size(); i++) {
            if (given.get(i).getGrade() != GRADES.get(i)) {
                throw refused(id, "grades[" + i + "].grade", given.get(i).getGrade() + " where " + GRADES.get(i)
                        + " belongs; the grades are AMBER, RED and BLACK, once each, in that order");
            }
        }
        for (int i = 0; i < GRADES.size(); i++) {
            GradeThreshold grade = given.get(i);
            String path = "grades[" + i + "]";
            if (i > 0) {
                GradeThreshold better = given.get(i - 1);
                if (grade.getEnterAt() <= better.getEnterAt()) {
                    throw refused(id, path + ".enterAt", grade.getEnterAt() + " is not above " + better.getGrade()
                            + "'s enterAt " + better.getEnterAt() + "; a worse grade takes a higher score");
                }
            }
            if (grade.getExitBelow() > grade.getEnterAt()) {
                throw refused(id, path + ".exitBelow", grade.getExitBelow() + " is above " + grade.getGrade() + "'s enterAt "
                        + grade.getEnterAt() + "; a borrower entering the grade at " + grade.getEnterAt() + " would leave it at once");
            }
            if (i > 0) {
                GradeThreshold better = given.get(i - 1);
                if (grade.getExitBelow() <= better.getExitBelow()) {
                    throw refused(id, path + ".exitBelow", grade.getExitBelow() + " is not above " + better.getGrade()
                            + "'s exitBelow " + better.getExitBelow() + "; the exit thresholds must rise with the grades");
                }
                if (grade.getExitBelow() <= better.getEnterAt()) {
                    throw refused(id, path + ".exitBelow", grade.getExitBelow() + " is not above " + better.getGrade()
                            + "'s enterAt " + better.getEnterAt() + "; the grade thresholds would not be monotone: a "
                            + grade.getGrade() + " borrower would stay " + grade.getGrade() + " at a score that does not even enter "
                            + better.getGrade());
                }
            }
        }
    }

    /** Best rating first, each taking higher PDs than the one before, the last every PD up to 100%. */
    private static void ratingBands(String id, List<RatingBand> bands) throws InvalidScorecardException {
        if (bands == null || bands.isEmpty()) {
            return; // no re-grade is suggested
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int k = 0; k < bands.size(); k++) {
            RatingBand band = bands.get(k);
            String path = "ratingBands[" + k + "]";
            if (blank(band.getRating())) {
                throw refused(id, path + ".rating", "blank");
            }
            Integer earlier = seen.putIfAbsent(band.getRating(), k);
            if (earlier != null) {
                throw refused(id, path + ".rating", "'" + band.getRating() + "' repeats ratingBands[" + earlier + "]");
            }
            int max = band.getMaxPdBasisPoints();
            if (max < 1 || max > ALL_BASIS_POINTS) {
                throw refused(id, path + ".maxPdBasisPoints", max + " is outside 1.." + ALL_BASIS_POINTS);
            }
            if (k > 0 && max <= bands.get(k - 1).getMaxPdBasisPoints()) {
                throw refused(id, path + ".maxPdBasisPoints", max + " is not above ratingBands[" + (k - 1) + "]'s "
                        + bands.get(k - 1).getMaxPdBasisPoints() + "; best rating first, each taking higher PDs");
            }
            if (k == bands.size() - 1 && max != ALL_BASIS_POINTS) {
                throw refused(id, path + ".maxPdBasisPoints", max + ", but the last band must reach " + ALL_BASIS_POINTS
                        + ", or a PD above " + max + " would map to no rating");
            }
        }
    }

    private static void points(String id, String path, int points) throws InvalidScorecardException {
        if (points < -MAX_POINTS || points > MAX_POINTS) {
            throw refused(id, path, points + " is outside " + -MAX_POINTS + ".." + MAX_POINTS
                    + ", which keeps every sum of points from overflowing");
        }
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static InvalidScorecardException refused(String id, String path, String problem) {
        return new InvalidScorecardException(id + ": " + path + ": " + problem);
    }
}
