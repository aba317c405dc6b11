package dev.kestrel.jobs.risk;

import dev.kestrel.contract.Indicator;
import dev.kestrel.events.CashFlowForecast;
import dev.kestrel.events.CeilingLevels;
import dev.kestrel.events.CoverLevels;
import dev.kestrel.events.FacilityCovenants;
import dev.kestrel.events.ForecastPeriod;
import dev.kestrel.events.MilestoneKind;
import dev.kestrel.events.Project;
import dev.kestrel.events.ProjectMilestone;
import dev.kestrel.events.ProjectPeriodRevenue;
import dev.kestrel.events.ProjectStage;
import dev.kestrel.events.TransactionEvent;
import dev.kestrel.jobs.indicator.IndicatorValues;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A project company's project (项目融资): the project, its construction milestones, the base case of its financial
 * model and its facilities' covenants, each the latest the bank sent. From them, with the statements the borrower's
 * {@link Financials} keep, it measures what a project lender tests:
 * the cover ratios against the covenants' lock-up and default levels, how far construction slips and whether revenue
 * will start before the debt service does, the capex overrun against the budget, and from the project's own accounts
 * ({@link ProjectAccounts}) the revenue collected against the base case and the reserve against the debt service it
 * must hold. Only a project company has one:
 * for any other borrower the part is never written, and sets nothing.
 */
final class ProjectFinance {
    /** Ratios are kept to 100x (1,000,000 basis points): beyond, a cover is as good as infinite. */
    static final long MAX_RATIO = 1_000_000;
    static final int COMPLIED = 0;
    static final int LOCK_UP = 1;
    static final int DEFAULT = 2;
    private static final MilestoneKind[] KINDS = MilestoneKind.values();
    private static final ProjectStage[] STAGES = ProjectStage.values();

    static final class Milestone {
        String project;
        String milestoneId;
        String name;
        MilestoneKind kind;
        int plannedDay;
        int expectedDay;
        int actualDay;
        int percent;
        String reportId;
        long reportedAt;

        /** Reached, or the day it is now expected, and not before today: a milestone not reached by its date slips daily. */
        int dayReached(int today) {
            return actualDay != Days.NONE ? actualDay : Math.max(expectedDay, today);
        }
    }

    static final class Period {
        int startDay;
        int endDay;
        long revenue;
        long operatingCost;
        long capex;
        long debtService;

        /** Cash flow available for debt service as the model expects it: revenue less operating cost and capex. */
        long cfads() {
            return Math.subtractExact(Math.subtractExact(revenue, operatingCost), capex);
        }
    }

    static final class Covenants {
        String project;
        String facilityId;
        int effectiveDay;
        /** Levels in basis points of 1x; 0 where the agreement sets none. */
        int historicLockUp;
        int historicDefault;
        int projectedLockUp;
        int projectedDefault;
        int llcrLockUp;
        int llcrDefault;
        int gearingLockUp;
        int gearingDefault;
        /** The debt-service reserve account it requires, and the months of debt service it must hold; null and 0: none. */
        String reserveAccountId;
        int reserveMonths;
        /** The borrower's day when this version was taken: the reserve it names counts from the day after. */
        int reserveNamedDay = Days.NONE;
        long recordedAt;
    }

    // The project, as the register last sent it.
    String projectId;
    String name;
    long projectAt = Long.MIN_VALUE;
    String currency;
    long totalInvestment;
    int scheduledCodDay = Days.NONE;
    /** The register's stage: from RAMP_UP on the project is in operation, whatever the milestones say. */
    ProjectStage stage;
    int firstDebtServiceDay = Days.NONE;
    final List<String> facilityIds = new ArrayList<>();
    // The construction progress reports, the latest of each milestone.
    final List<Milestone> milestones = new ArrayList<>();
    // The base case.
    String forecastId;
    String forecastProject;
    long forecastAt = Long.MIN_VALUE;
    int modelDay = Days.NONE;
    int discountRate;
    final List<Period> periods = new ArrayList<>();
    // The facilities' covenants.
    final List<Covenants> covenants = new ArrayList<>();
    // The project revenue account and the reserve accounts, as the transactions on them show them.
    final ProjectAccounts accounts = new ProjectAccounts();
    /** The model or the revenue account's receipts changed since the last snapshot asked: the desk's forecast against actuals is owed. */
    transient boolean figuresMoved;

    /** Whether the bank has sent the project: without it nothing is measured. */
    boolean known() {
        return projectId != null;
    }

    /**
     * Why the record cannot be taken, or null: a project company has one project, and a report, model or covenant
     * names it. A record that arrives before the project is kept and counts once the project comes, if it names it.
     */
    String refusal(SpecificRecordBase record, String borrowerId) {
        String named = (String) record.get("projectId");
        if (projectId == null) {
            return null;
        }
        if (projectId.equals(named)) {
            return record instanceof CashFlowForecast f && !f.getCurrency().equals(currency)
                    ? "currency: the model is in " + f.getCurrency() + ", project " + projectId + " in " + currency : null;
        }
        String what = record instanceof Project ? "a project company has one project: " : "";
        return "projectId: " + what + "borrower " + borrowerId + " is the project company of " + projectId + ", not of " + named;
    }

    /**
     * Takes the record if it is newer than what is kept of the same thing; says whether it was taken. {@code today} is
     * the borrower's day as the record applies: an account it names counts from the day after, never from the day
     * after an older date the record carries (a register sending a project again with its first date would otherwise
     * declare months watched that the engine never saw).
     */
    boolean record(SpecificRecordBase record, int today) {
        if (record instanceof CashFlowForecast f) {
            boolean taken = forecast(f);
            figuresMoved |= taken; // the desk's forecast against actuals follows the model
            return taken;
        }
        return record instanceof Project p ? project(p, today)
                : record instanceof ProjectMilestone m ? milestone(m)
                : record instanceof FacilityCovenants c && covenants(c, today);
    }

    private boolean project(Project p, int today) {
        long at = p.getEventTime().toEpochMilli();
        if (at < projectAt) {
            return false; // an older version arriving late does not undo a newer one
        }
        boolean first = projectId == null;
        projectId = p.getProjectId();
        name = p.getName();
        projectAt = at;
        currency = p.getCurrency();
        totalInvestment = p.getTotalInvestmentMinor();
        scheduledCodDay = (int) p.getScheduledCodDate().toEpochDay();
        stage = p.getStage();
        firstDebtServiceDay = p.getFirstDebtServiceDate() == null ? Days.NONE : (int) p.getFirstDebtServiceDate().toEpochDay();
        facilityIds.clear();
        facilityIds.addAll(p.getFacilityIds());
        if (first) { // the reserves named before the project count from the day after it too
            accounts.watchReservesFrom(today);
        }
        accounts.nameRevenueAccount(p.getRevenueAccountId(), today);
        // What came before the project naming another one is not this project's: left out, as it would have been refused.
        milestones.removeIf(m -> !m.project.equals(projectId));
        covenants.removeIf(c -> !c.project.equals(projectId));
        nameReserves();
        if (forecastId != null && !forecastProject.equals(projectId)) {
            forecastId = null;
            forecastProject = null;
            forecastAt = Long.MIN_VALUE;
            periods.clear();
        }
        return true;
    }

    private boolean milestone(ProjectMilestone report) {
        long at = report.getEventTime().toEpochMilli();
        Milestone kept = null;
        for (Milestone m : milestones) {
            if (m.milestoneId.equals(report.getMilestoneId())) {
                kept = m;
            }
        }
        if (kept != null && (at < kept.reportedAt || report.getReportId().equals(kept.reportId))) {
            return false;
        }
        if (kept == null) {
            kept = new Milestone();
            kept.milestoneId = report.getMilestoneId();
            milestones.add(kept);
        }
        kept.project = report.getProjectId();
        kept.name = report.getName();
        kept.kind = report.getKind();
        kept.plannedDay = (int) report.getPlannedDate().toEpochDay();
        kept.expectedDay = report.getExpectedDate() == null ? Days.NONE : (int) report.getExpectedDate().toEpochDay();
        kept.actualDay = report.getActualDate() == null ? Days.NONE : (int) report.getActualDate().toEpochDay();
        kept.percent = report.getPercentCompleteBasisPoints();
        kept.reportId = report.getReportId();
        kept.reportedAt = at;
        return true;
    }

    private boolean forecast(CashFlowForecast f) {
        long at = f.getEventTime().toEpochMilli();
        if (at < forecastAt || (at == forecastAt && f.getForecastId().equals(forecastId))) {
            return false;
        }
        forecastId = f.getForecastId();
        forecastProject = f.getProjectId();
        forecastAt = at;
        modelDay = (int) f.getModelDate().toEpochDay();
        discountRate = f.getDiscountRateBasisPoints();
        periods.clear();
        for (ForecastPeriod source : f.getPeriods()) {
            Period period = new Period();
            period.startDay = (int) source.getPeriodStart().toEpochDay();
            period.endDay = (int) source.getPeriodEnd().toEpochDay();
            period.revenue = source.getRevenueMinor();
            period.operatingCost = source.getOperatingCostMinor();
            period.capex = source.getCapexMinor();
            period.debtService = source.getDebtServiceMinor();
            periods.add(period);
        }
        return true;
    }

    private boolean covenants(FacilityCovenants c, int today) {
        long at = c.getEventTime().toEpochMilli();
        Covenants kept = null;
        for (Covenants k : covenants) {
            if (k.facilityId.equals(c.getFacilityId())) {
                kept = k;
            }
        }
        if (kept != null && at < kept.recordedAt) {
            return false;
        }
        if (kept == null) {
            kept = new Covenants();
            kept.facilityId = c.getFacilityId();
            covenants.add(kept);
        }
        kept.project = c.getProjectId();
        kept.effectiveDay = (int) c.getEffectiveDate().toEpochDay();
        kept.historicLockUp = lockUp(c.getHistoricDscr());
        kept.historicDefault = breach(c.getHistoricDscr());
        kept.projectedLockUp = lockUp(c.getProjectedDscr());
        kept.projectedDefault = breach(c.getProjectedDscr());
        kept.llcrLockUp = lockUp(c.getLlcr());
        kept.llcrDefault = breach(c.getLlcr());
        CeilingLevels gearing = c.getMaxDebtToEquity();
        kept.gearingLockUp = gearing == null || gearing.getLockUpBasisPoints() == null ? 0 : gearing.getLockUpBasisPoints();
        kept.gearingDefault = gearing == null || gearing.getDefaultBasisPoints() == null ? 0 : gearing.getDefaultBasisPoints();
        kept.reserveAccountId = c.getDsra() == null ? null : c.getDsra().getAccountId();
        kept.reserveMonths = c.getDsra() == null ? 0 : c.getDsra().getMonths();
        kept.recordedAt = at;
        kept.reserveNamedDay = today;
        nameReserves();
        return true;
    }

    /**
     * Watches the reserve accounts the covenants name, in force or not yet (so that a balance is known by the day one
     * comes into force), each from the day after the covenant naming it was taken; one already watched stays so.
     */
    private void nameReserves() {
        Map<String, Integer> named = new TreeMap<>();
        for (Covenants c : covenants) {
            if (c.reserveAccountId != null) {
                named.merge(c.reserveAccountId, c.reserveNamedDay, Math::min);
            }
        }
        accounts.nameReserves(named);
    }

    /**
     * A transaction on the borrower's accounts: taken if it is on the project's revenue or a reserve account, its
     * amount and balance converted into the project's currency at the rate of its day; says whether it moved anything.
     */
    boolean transaction(TransactionEvent t, Money money) {
        if (!known() || !(t.getAccountId().equals(accounts.revenueAccountId) || accounts.reserve(t.getAccountId()) != null)) {
            // Before the project, the currency to keep them in is unknown; its reserves count from the day after it.
            return false;
        }
        Long amount = money.converted(t.getAmountMinor(), t.getCurrency(), currency);
        Long balance = t.getBalanceAfterMinor() == null ? null : money.converted(t.getBalanceAfterMinor(), t.getCurrency(), currency);
        boolean receipt = accounts.receipt(t, amount);
        figuresMoved |= receipt; // the desk's forecast against actuals follows the receipts, not a reserve's balance
        return accounts.balance(t, balance) || receipt;
    }

    /** The most model periods a snapshot carries: three years of quarters. */
    static final int PERIODS_SHOWN = 12;

    /**
     * The base case's periods that have started, the latest {@link #PERIODS_SHOWN}, oldest first: each one's revenue
     * against the receipts counted in its months (to date while it runs), null where the account was not watched.
     */
    List<ProjectPeriodRevenue> revenueAgainstForecast(int today) {
        List<ProjectPeriodRevenue> shown = new ArrayList<>();
        if (!known() || forecastId == null) {
            return shown;
        }
        for (Period p : periods) {
            if (p.startDay <= today) {
                shown.add(new ProjectPeriodRevenue(LocalDate.ofEpochDay(p.startDay), LocalDate.ofEpochDay(p.endDay), p.revenue,
                        accounts.revenueKnown(p.startDay) ? accounts.revenue(p.startDay, p.endDay) : null, p.endDay >= today));
            }
        }
        return shown.size() > PERIODS_SHOWN ? new ArrayList<>(shown.subList(shown.size() - PERIODS_SHOWN, shown.size())) : shown;
    }

    private static int lockUp(CoverLevels levels) {
        return levels == null || levels.getLockUpBasisPoints() == null ? 0 : levels.getLockUpBasisPoints();
    }

    private static int breach(CoverLevels levels) {
        return levels == null || levels.getDefaultBasisPoints() == null ? 0 : levels.getDefaultBasisPoints();
    }

    // ---- The measures, each null when it cannot be known.

    /**
     * The statements covering the 12 months to the latest statement's end, latest first, back to back (the longest that
     * fits at each step: a year's statement, else half-years or quarters); null when they leave a gap or lack operating
     * cash flow or capex.
     */
    static List<Financials.Period> statementYear(Financials financials) {
        // The latest year the statements complete: a quarter received after a year's accounts does not untest the year.
        for (Financials.Period end : financials.periods) {
            List<Financials.Period> year = yearTo(financials, end);
            if (year != null) {
                return year;
            }
        }
        return null;
    }

    private static List<Financials.Period> yearTo(Financials financials, Financials.Period latest) {
        int yearStart = latest.endDayAYearBefore(); // the day before the year's first
        List<Financials.Period> year = new ArrayList<>();
        int cursor = latest.endDay;
        while (cursor > yearStart) {
            Financials.Period longest = null;
            for (Financials.Period p : financials.periods) {
                if (p.endDay == cursor && p.startDay() > yearStart && p.knows(Financials.OPERATING_CASH_FLOW | Financials.CAPEX)
                        && (longest == null || p.startDay() < longest.startDay())) {
                    longest = p;
                }
            }
            if (longest == null) {
                return null;
            }
            year.add(longest);
            cursor = longest.startDay() - 1;
        }
        return cursor == yearStart ? year : null;
    }

    /** The debt service the model schedules in periods ending within (fromDay, toDay]. */
    long debtServiceEnding(int fromDay, int toDay) {
        long total = 0;
        for (Period p : periods) {
            if (p.endDay > fromDay && p.endDay <= toDay) {
                total = Math.addExact(total, p.debtService);
            }
        }
        return total;
    }

    /** The model's periods not yet ended that end within the next 12 months (the one running now among them). */
    List<Period> nextYear(int today) {
        int yearOn = (int) LocalDate.ofEpochDay(today).plusYears(1).toEpochDay();
        List<Period> next = new ArrayList<>();
        for (Period p : periods) {
            if (p.endDay >= today && p.endDay < yearOn) {
                next.add(p);
            }
        }
        return next;
    }

    /** The model's last period with debt service: the loan's final maturity as the model has it; null without one. */
    Period finalDebtService() {
        for (int i = periods.size() - 1; i >= 0; i--) {
            if (periods.get(i).debtService > 0) {
                return periods.get(i);
            }
        }
        return null;
    }

    /**
     * The present value at today of the cash flow available for debt service of every period not yet ended up to the
     * final debt service, each discounted from its end at the model's rate (StrictMath: the same on every machine).
     */
    long presentValue(int today, boolean debtService) {
        Period last = finalDebtService();
        int from = valuationDay(today);
        double total = 0;
        for (Period p : periods) {
            if (p.endDay < today || p.endDay > last.endDay) {
                continue;
            }
            double years = (p.endDay - from) / 365.0;
            total += (debtService ? p.debtService : p.cfads()) / StrictMath.pow(1 + discountRate / 10_000.0, years);
        }
        return (long) StrictMath.floor(total);
    }

    /** The day values are discounted to: the start of the model period running today, so the ratio moves per period, not per day. */
    int valuationDay(int today) {
        for (Period p : periods) {
            if (p.startDay <= today && p.endDay >= today) {
                return p.startDay;
            }
        }
        return today;
    }

    /** The COMMERCIAL_OPERATION milestone planned last (the last unit's, when each unit has one), or null. */
    Milestone cod() {
        Milestone last = null;
        for (Milestone m : milestones) {
            if (m.kind == MilestoneKind.COMMERCIAL_OPERATION && (last == null || m.plannedDay > last.plannedDay)) {
                last = m;
            }
        }
        return last;
    }

    /**
     * The day commercial operation is now expected (or came): the COD milestone's; without one the scheduled date, and
     * today once that has passed with no word that operation began.
     */
    int expectedCodDay(int today) {
        Milestone cod = cod();
        return cod == null ? Math.max(scheduledCodDay, today) : cod.dayReached(today);
    }

    /** In operation: the register says ramp-up or operation, or the COD milestone was reached. */
    boolean operating() {
        Milestone cod = cod();
        return stage == ProjectStage.RAMP_UP || stage == ProjectStage.OPERATION || (cod != null && cod.actualDay != Days.NONE);
    }

    /** The day operation began as far as the bank knows: the COD milestone's, else the scheduled date. */
    int operatingSinceDay() {
        Milestone cod = cod();
        return cod != null && cod.actualDay != Days.NONE ? cod.actualDay : scheduledCodDay;
    }

    /** The milestone not yet reached that slips the most, or null. */
    Milestone mostSlipped(int today) {
        Milestone worst = null;
        for (Milestone m : milestones) {
            if (m.actualDay == Days.NONE && (worst == null || m.dayReached(today) - m.plannedDay > worst.dayReached(today) - worst.plannedDay)) {
                worst = m;
            }
        }
        return worst;
    }

    static long ratio(long numerator, long denominator) {
        return Math.max(-MAX_RATIO, Math.min(MAX_RATIO, Ratios.basisPointsRoundedDown(numerator, denominator)));
    }

    /** The figures, each a measure with what it was measured on; computed once per evaluation of the part. */
    record Measures(Long historicDscr, long historicCfads, long historicDebtService, int historicFrom, int historicTo,
                    Long projectedDscr, long projectedCfads, long projectedDebtService, Long llcr, long presentValue, Long debt,
                    Long gearing, int level, String levelFacility, String levelRatio, long levelValue, int levelLimit) {
    }

    Measures measure(int today, Financials financials) {
        Long historic = null;
        long historicCfads = 0;
        long historicDebtService = 0;
        int from = Days.NONE;
        int to = Days.NONE;
        List<Financials.Period> year = operating() ? statementYear(financials) : null;
        // Construction capex, paid from the loan and equity, is no shortfall of cash for debt service: a year is tested
        // only once it starts on or after the day operation began.
        if (year != null && year.get(year.size() - 1).startDay() < operatingSinceDay()) {
            year = null;
        }
        if (year != null && forecastId != null) {
            for (Financials.Period p : year) {
                historicCfads = Math.addExact(historicCfads, Math.subtractExact(p.operatingCashFlow, p.capex));
            }
            to = year.get(0).endDay;
            from = year.get(year.size() - 1).startDay();
            historicDebtService = debtServiceEnding(from - 1, to);
            historic = historicDebtService > 0 ? ratio(historicCfads, historicDebtService) : null;
        }
        Long projected = null;
        long projectedCfads = 0;
        long projectedDebtService = 0;
        for (Period p : operating() ? nextYear(today) : List.<Period>of()) {
            projectedCfads = Math.addExact(projectedCfads, p.cfads());
            projectedDebtService = Math.addExact(projectedDebtService, p.debtService);
        }
        if (projectedDebtService > 0) {
            projected = ratio(projectedCfads, projectedDebtService);
        }
        // The whole senior debt, as the model services it: the present value of its debt service at the loan's rate is
        // the debt outstanding, whatever share of it this bank holds.
        Long llcr = null;
        long presentValue = 0;
        Long debt = null;
        if (operating() && finalDebtService() != null && finalDebtService().endDay >= today) {
            debt = presentValue(today, true);
            if (debt > 0) {
                presentValue = presentValue(today, false);
                llcr = ratio(presentValue, debt);
            }
        }
        Financials.Period latest = financials.latest();
        // Equity of nothing or less is gearing without end: as far above any ceiling as a ratio goes.
        Long gearing = latest == null || !latest.knows(Financials.DEBT | Financials.EQUITY) ? null
                : latest.totalEquity > 0 ? ratio(latest.debt, latest.totalEquity) : MAX_RATIO;
        // The worst covenant in force: below a cover's level, or above the gearing ceiling.
        int level = COMPLIED;
        String levelFacility = null;
        String levelRatio = null;
        long levelValue = 0;
        int levelLimit = 0;
        boolean tested = false;
        for (Covenants c : covenants) {
            if (c.effectiveDay > today) {
                continue;
            }
            List<CovenantTest> tests = List.of(new CovenantTest("historic DSCR", historic, c.historicLockUp, c.historicDefault, false),
                    new CovenantTest("projected DSCR", projected, c.projectedLockUp, c.projectedDefault, false),
                    new CovenantTest("LLCR", llcr, c.llcrLockUp, c.llcrDefault, false),
                    new CovenantTest("debt to equity", gearing, c.gearingLockUp, c.gearingDefault, true));
            for (CovenantTest test : tests) {
                if (test.value() == null || (test.lockUp() == 0 && test.breach() == 0)) {
                    continue;
                }
                tested = true;
                int found = test.level();
                if (found > level) {
                    level = found;
                    levelFacility = c.facilityId;
                    levelRatio = test.ratio();
                    levelValue = test.value();
                    levelLimit = found == DEFAULT ? test.breach() : test.lockUp();
                }
            }
        }
        return new Measures(historic, historicCfads, historicDebtService, from, to, projected, projectedCfads, projectedDebtService,
                llcr, presentValue, debt, gearing, tested ? level : -1, levelFacility, levelRatio, levelValue, levelLimit);
    }

    /** One ratio tested against a covenant's levels (0: the agreement sets none); a ceiling is breached above, a cover below. */
    private record CovenantTest(String ratio, Long value, int lockUp, int breach, boolean ceiling) {
        int level() {
            return breach != 0 && beyond(breach) ? DEFAULT : lockUp != 0 && beyond(lockUp) ? LOCK_UP : COMPLIED;
        }

        private boolean beyond(int limit) {
            return ceiling ? value > limit : value < limit;
        }
    }

    /** The receipts of the model's last two periods ended against their revenue, and the smaller shortfall of the two. */
    record Shortfall(Period earlier, long earlierReceipts, Period later, long laterReceipts, long value) {
    }

    /**
     * How far the revenue account's receipts fell short of the base case in each of its last two periods ended: both
     * must follow each other with revenue forecast, and the account must have been watched through both; else null.
     */
    Shortfall revenueShortfall(int today) {
        if (accounts.revenueAccountId == null || forecastId == null) {
            return null;
        }
        Period earlier = null;
        Period later = null;
        for (Period p : periods) {
            if (p.endDay < today) {
                earlier = later;
                later = p;
            }
        }
        if (earlier == null || earlier.endDay + 1 != later.startDay || earlier.revenue <= 0 || later.revenue <= 0
                || !accounts.revenueKnown(earlier.startDay)) {
            return null;
        }
        long earlierReceipts = accounts.revenue(earlier.startDay, earlier.endDay);
        long laterReceipts = accounts.revenue(later.startDay, later.endDay);
        long value = Math.min(ratio(Math.subtractExact(earlier.revenue, earlierReceipts), earlier.revenue),
                ratio(Math.subtractExact(later.revenue, laterReceipts), later.revenue));
        return new Shortfall(earlier, earlierReceipts, later, laterReceipts, value);
    }

    /** A reserve account's balance against the debt service its covenant requires it to hold. */
    record Funding(Covenants covenant, ProjectAccounts.Reserve reserve, int untilDay, long target, long value) {
    }

    /**
     * The worst funded of the reserves the covenants in force require: the balance over the debt service the model
     * schedules in the periods not yet ended that end within the covenant's months; null when none can be known.
     */
    Funding reserveFunding(int today) {
        if (forecastId == null) {
            return null;
        }
        Funding worst = null;
        for (Covenants c : covenants) {
            ProjectAccounts.Reserve reserve = c.reserveAccountId == null ? null : accounts.reserve(c.reserveAccountId);
            if (c.effectiveDay > today || reserve == null || !reserve.balanceKnown()) {
                continue;
            }
            int until = (int) LocalDate.ofEpochDay(today).plusMonths(c.reserveMonths).toEpochDay();
            long target = debtServiceEnding(today - 1, until - 1); // periods not yet ended that end before the day months on
            if (target > 0) {
                long value = ratio(reserve.balance, target);
                if (worst == null || value < worst.value()) {
                    worst = new Funding(c, reserve, until, target, value);
                }
            }
        }
        return worst;
    }

    /** The first day on which a period ending on {@code endDay} falls within {@code months} of the day. */
    static int comesWithinMonths(int endDay, int months) {
        LocalDate day = LocalDate.ofEpochDay(endDay).minusMonths(months);
        while (!LocalDate.ofEpochDay(endDay).isBefore(day.plusMonths(months))) {
            day = day.plusDays(1); // month ends clamp: a day or two more at most
        }
        return (int) day.toEpochDay();
    }

    void indicators(IndicatorValues out, int today, Financials financials) {
        if (!known()) {
            return;
        }
        long at = IndicatorValues.AS_OF_EVALUATION;
        Measures m = measure(today, financials);
        set(out, Indicator.HISTORIC_DSCR, m.historicDscr(), at);
        set(out, Indicator.PROJECTED_DSCR, m.projectedDscr(), at);
        set(out, Indicator.LLCR, m.llcr(), at);
        if (m.level() >= 0) {
            out.set(Indicator.COVENANT_LEVEL, m.level(), at);
        }
        boolean operating = operating();
        if (!milestones.isEmpty()) {
            Milestone slipped = mostSlipped(today);
            out.set(Indicator.MILESTONE_SLIPPAGE_DAYS, slipped == null ? 0 : slipped.dayReached(today) - slipped.plannedDay, at);
        }
        if (operating) {
            out.notApplicable(Indicator.COD_MARGIN_DAYS, at); // revenue has started: nothing left to wait for
        } else if (firstDebtServiceDay != Days.NONE) {
            out.set(Indicator.COD_MARGIN_DAYS, firstDebtServiceDay - expectedCodDay(today), at);
        }
        if (operating) {
            out.notApplicable(Indicator.CAPEX_OVERRUN, at); // built: what is left is maintenance, not the investment
        } else if (forecastId != null) {
            out.set(Indicator.CAPEX_OVERRUN, ratio(Math.subtractExact(constructionCapex(today), totalInvestment), totalInvestment), at);
        }
        Shortfall shortfall = revenueShortfall(today);
        if (shortfall != null) {
            out.set(Indicator.REVENUE_SHORTFALL, shortfall.value(), at);
        }
        Funding funding = reserveFunding(today);
        if (funding != null) {
            out.set(Indicator.DSRA_FUNDING, funding.value(), at);
        }
    }

    /** The model's capex in the periods that start before commercial operation is now expected: the construction cost. */
    long constructionCapex(int today) {
        int cod = expectedCodDay(today);
        long capex = 0;
        for (Period p : periods) {
            if (p.startDay < cod) {
                capex = Math.addExact(capex, p.capex);
            }
        }
        return capex;
    }

    private static void set(IndicatorValues out, Indicator indicator, Long value, long at) {
        if (value != null) {
            out.set(indicator, value, at);
        }
    }

    /**
     * The next day whose start moves an indicator with no event: a milestone's expected date passing (then each day
     * while it is late), a model period ending or coming within 12 months or a reserve's months, a covenant coming into
     * force.
     */
    int nextEvaluationDay(int today) {
        if (!known()) {
            return Days.NONE;
        }
        int next = Days.NONE;
        for (Milestone m : milestones) {
            if (m.actualDay == Days.NONE) {
                next = earliest(next, m.expectedDay >= today ? m.expectedDay + 1 : today + 1);
            }
        }
        for (Period p : periods) { // a period ending leaves the projections, and the next one ending within a year joins them
            if (p.endDay >= today) {
                next = earliest(next, p.endDay + 1);
                break;
            }
        }
        if (!operating() && cod() == null) { // a scheduled COD passed with no word of operation slips with the days
            next = earliest(next, scheduledCodDay >= today ? scheduledCodDay + 1 : today + 1);
        }
        for (Covenants c : covenants) { // a covenant comes into force; a period's debt service comes within its reserve's months
            if (c.effectiveDay > today) {
                next = earliest(next, c.effectiveDay);
            }
            if (c.reserveAccountId != null) {
                for (Period p : periods) {
                    int within = comesWithinMonths(p.endDay, c.reserveMonths);
                    if (within > today) {
                        next = earliest(next, within);
                        break;
                    }
                }
            }
        }
        int yearOn = (int) LocalDate.ofEpochDay(today).plusYears(1).toEpochDay();
        for (Period p : periods) {
            if (p.endDay >= yearOn) {
                next = earliest(next, (int) LocalDate.ofEpochDay(p.endDay).minusYears(1).toEpochDay() + 1);
                break;
            }
        }
        return next;
    }

    private static int earliest(int a, int b) {
        return a == Days.NONE ? b : b == Days.NONE ? a : Math.min(a, b);
    }

    // ---- Explanations: the figures and periods behind each indicator.

    void explain(Indicator indicator, int today, Financials financials, Evidence evidence) {
        if (!known()) {
            return;
        }
        switch (indicator) {
            case HISTORIC_DSCR, PROJECTED_DSCR, LLCR, COVENANT_LEVEL -> explainCover(today, financials, evidence);
            case MILESTONE_SLIPPAGE_DAYS -> explainSlippage(today, evidence);
            case COD_MARGIN_DAYS -> explainCod(today, evidence);
            case CAPEX_OVERRUN -> explainCapex(today, evidence);
            case REVENUE_SHORTFALL -> explainRevenue(today, evidence);
            case DSRA_FUNDING -> explainReserve(today, evidence);
            default -> { }
        }
    }

    private void explainCover(int today, Financials financials, Evidence evidence) {
        Measures m = measure(today, financials);
        if (m.level() > COMPLIED) {
            evidence.add(m.levelRatio() + " " + times(m.levelValue()) + (m.levelRatio().equals("debt to equity") ? " is above " : " is below ")
                    + m.levelFacility() + "'s " + (m.level() == DEFAULT ? "default" : "lock-up") + " level of " + times(m.levelLimit()),
                    null, null, 0);
        }
        if (m.historicDscr() != null) {
            evidence.add("historic DSCR " + times(m.historicDscr()) + ": cash flow available for debt service "
                    + amount(m.historicCfads()) + " (operating cash flow less capex, statements for "
                    + LocalDate.ofEpochDay(m.historicFrom()) + " to " + LocalDate.ofEpochDay(m.historicTo()) + ") over debt service "
                    + amount(m.historicDebtService()) + " (base case " + forecastId + ")", null, null, 0);
            Financials.Period latest = financials.latest();
            evidence.add("latest statement " + latest.statementId + " to " + LocalDate.ofEpochDay(latest.endDay), latest.statementId,
                    "FinancialStatement", latest.receivedAt);
        }
        if (m.projectedDscr() != null) {
            evidence.add("projected DSCR " + times(m.projectedDscr()) + ": cash flow available for debt service "
                    + amount(m.projectedCfads()) + " over debt service " + amount(m.projectedDebtService())
                    + " in the model's periods ending within the next 12 months", null, null, 0);
        }
        if (m.llcr() != null) {
            evidence.add("LLCR " + times(m.llcr()) + ": cash flow available for debt service to "
                    + LocalDate.ofEpochDay(finalDebtService().endDay) + " worth " + amount(m.presentValue()) + " on "
                    + LocalDate.ofEpochDay(valuationDay(today)) + " at "
                    + String.format(Locale.ROOT, "%.2f%%", discountRate / 100.0) + " over the debt its debt service repays, worth "
                    + amount(m.debt()), null, null, 0);
        }
        if (forecastId != null) {
            citeBaseCase(evidence);
        }
    }

    private void explainSlippage(int today, Evidence evidence) {
        Milestone m = mostSlipped(today);
        if (m == null) {
            return;
        }
        int slip = m.dayReached(today) - m.plannedDay;
        evidence.add("milestone " + m.milestoneId + " (" + m.name + ") planned for " + LocalDate.ofEpochDay(m.plannedDay)
                + (m.expectedDay >= today ? ", now expected " + LocalDate.ofEpochDay(m.expectedDay) : ", expected by "
                + LocalDate.ofEpochDay(m.expectedDay) + " and not reached by " + LocalDate.ofEpochDay(today)) + ": " + slip
                + " days late, " + String.format(Locale.ROOT, "%.0f%%", m.percent / 100.0) + " complete", m.reportId,
                "ProjectMilestone", m.reportedAt);
        explainCod(today, evidence);
    }

    private void explainCod(int today, Evidence evidence) {
        Milestone cod = cod();
        int expected = expectedCodDay(today);
        String when = cod == null ? "scheduled for " + LocalDate.ofEpochDay(scheduledCodDay) + " (no report says otherwise)"
                : "planned for " + LocalDate.ofEpochDay(cod.plannedDay) + ", now expected " + LocalDate.ofEpochDay(expected)
                + " (" + (expected - scheduledCodDay) + " days after the " + LocalDate.ofEpochDay(scheduledCodDay) + " the financing was planned on)";
        evidence.add("commercial operation " + when + (firstDebtServiceDay == Days.NONE ? ""
                : "; first repayment of principal due " + LocalDate.ofEpochDay(firstDebtServiceDay) + ", " + (firstDebtServiceDay - expected)
                + " days after it"), cod == null ? null : cod.reportId, cod == null ? null : "ProjectMilestone",
                cod == null ? 0 : cod.reportedAt);
    }

    private void explainCapex(int today, Evidence evidence) {
        evidence.add("capex to commercial operation (expected " + LocalDate.ofEpochDay(expectedCodDay(today)) + ") in base case "
                + forecastId + " of " + LocalDate.ofEpochDay(modelDay) + ": " + amount(constructionCapex(today))
                + " against the project's total investment of " + amount(totalInvestment),
                forecastId, "CashFlowForecast", forecastAt);
    }

    private void explainRevenue(int today, Evidence evidence) {
        Shortfall s = revenueShortfall(today);
        if (s == null) {
            return;
        }
        evidence.add("project revenue account received " + receipts(s.earlier(), s.earlierReceipts()) + ", then "
                + receipts(s.later(), s.laterReceipts()), null, null, 0);
        citeBaseCase(evidence);
    }

    private String receipts(Period p, long received) {
        long shortBy = ratio(Math.subtractExact(p.revenue, received), p.revenue);
        return amount(received) + " from " + LocalDate.ofEpochDay(p.startDay) + " to " + LocalDate.ofEpochDay(p.endDay)
                + " against the base case's " + amount(p.revenue) + " ("
                + String.format(Locale.ROOT, "%.2f%% %s", Math.abs(shortBy) / 100.0, shortBy > 0 ? "short" : "above or on it") + ")";
    }

    private void explainReserve(int today, Evidence evidence) {
        Funding f = reserveFunding(today);
        if (f == null) {
            return;
        }
        evidence.add("debt-service reserve account holds " + amount(f.reserve().balance) + ", "
                + String.format(Locale.ROOT, "%.2f%%", f.value() / 100.0) + " of the " + amount(f.target())
                + " of debt service the base case schedules in periods ending before " + LocalDate.ofEpochDay(f.untilDay())
                + " (the " + f.covenant().reserveMonths + " months " + f.covenant().facilityId + "'s covenant requires)",
                f.reserve().eventId, "TransactionEvent", f.reserve().balanceAt);
        citeBaseCase(evidence);
    }

    /** The base case a measure was taken on, cited by its id. */
    private void citeBaseCase(Evidence evidence) {
        evidence.add("base case " + forecastId + " of " + LocalDate.ofEpochDay(modelDay), forecastId, "CashFlowForecast", forecastAt);
    }

    private String amount(long minor) {
        return currency + " " + String.format(Locale.ROOT, "%,.2f", minor / 100.0);
    }

    private static String times(long basisPoints) {
        return String.format(Locale.ROOT, "%.2fx", basisPoints / 10_000.0);
    }

    // ---- State.

    void write(DataOutputView out, int base, long clock) throws IOException {
        StateIO.writeString(out, projectId);
        if (projectId != null) {
            StateIO.writeText(out, name);
            StateIO.writeTime(out, projectAt, clock);
            StateIO.writeText(out, currency);
            StateIO.writeLong(out, totalInvestment);
            StateIO.writeDay(out, scheduledCodDay, base);
            out.writeByte(stage.ordinal()); // ProjectStage and MilestoneKind take new symbols only at their end
            StateIO.writeDay(out, firstDebtServiceDay, base);
            StateIO.writeInt(out, facilityIds.size());
            for (String facilityId : facilityIds) {
                StateIO.writeText(out, facilityId);
            }
        }
        StateIO.writeInt(out, milestones.size());
        for (Milestone m : milestones) {
            StateIO.writeText(out, m.project);
            StateIO.writeText(out, m.milestoneId);
            StateIO.writeText(out, m.name);
            out.writeByte(m.kind.ordinal());
            StateIO.writeDay(out, m.plannedDay, base);
            StateIO.writeDay(out, m.expectedDay, base);
            StateIO.writeDay(out, m.actualDay, base);
            StateIO.writeInt(out, m.percent);
            StateIO.writeText(out, m.reportId);
            StateIO.writeTime(out, m.reportedAt, clock);
        }
        StateIO.writeString(out, forecastId);
        if (forecastId != null) {
            StateIO.writeText(out, forecastProject);
            StateIO.writeTime(out, forecastAt, clock);
            StateIO.writeDay(out, modelDay, base);
            StateIO.writeInt(out, discountRate);
            StateIO.writeInt(out, periods.size());
            for (Period p : periods) {
                StateIO.writeDay(out, p.startDay, base);
                StateIO.writeDay(out, p.endDay, base);
                StateIO.writeLong(out, p.revenue);
                StateIO.writeLong(out, p.operatingCost);
                StateIO.writeLong(out, p.capex);
                StateIO.writeLong(out, p.debtService);
            }
        }
        StateIO.writeInt(out, covenants.size());
        for (Covenants c : covenants) {
            StateIO.writeText(out, c.project);
            StateIO.writeText(out, c.facilityId);
            StateIO.writeDay(out, c.effectiveDay, base);
            for (int level : new int[] {c.historicLockUp, c.historicDefault, c.projectedLockUp, c.projectedDefault, c.llcrLockUp,
                    c.llcrDefault, c.gearingLockUp, c.gearingDefault}) {
                StateIO.writeInt(out, level);
            }
            StateIO.writeString(out, c.reserveAccountId); // part format 4
            StateIO.writeInt(out, c.reserveMonths);
            StateIO.writeDay(out, c.reserveNamedDay, base);
            StateIO.writeTime(out, c.recordedAt, clock);
        }
        accounts.write(out, base, clock); // part format 4
    }

    /** Reads what {@link #write} wrote: {@code format} the layout of its encodings, {@code partFormat} the part's. */
    static ProjectFinance read(DataInputView in, int format, int partFormat, int base, long clock) throws IOException {
        ProjectFinance p = new ProjectFinance();
        p.projectId = StateIO.readString(in, format);
        if (p.projectId != null) {
            p.name = StateIO.readText(in, format);
            p.projectAt = StateIO.readTime(in, format, clock);
            p.currency = StateIO.readText(in, format);
            p.totalInvestment = StateIO.readLong(in);
            p.scheduledCodDay = StateIO.readDay(in, base);
            p.stage = STAGES[in.readUnsignedByte()];
            p.firstDebtServiceDay = StateIO.readDay(in, base);
            for (int i = StateIO.readInt(in); i > 0; i--) {
                p.facilityIds.add(StateIO.readText(in, format));
            }
        }
        for (int i = StateIO.readInt(in); i > 0; i--) {
            Milestone m = new Milestone();
            m.project = StateIO.readText(in, format);
            m.milestoneId = StateIO.readText(in, format);
            m.name = StateIO.readText(in, format);
            m.kind = KINDS[in.readUnsignedByte()];
            m.plannedDay = StateIO.readDay(in, base);
            m.expectedDay = StateIO.readDay(in, base);
            m.actualDay = StateIO.readDay(in, base);
            m.percent = StateIO.readInt(in);
            m.reportId = StateIO.readText(in, format);
            m.reportedAt = StateIO.readTime(in, format, clock);
            p.milestones.add(m);
        }
        p.forecastId = StateIO.readString(in, format);
        if (p.forecastId != null) {
            p.forecastProject = StateIO.readText(in, format);
            p.forecastAt = StateIO.readTime(in, format, clock);
            p.modelDay = StateIO.readDay(in, base);
            p.discountRate = StateIO.readInt(in);
            for (int i = StateIO.readInt(in); i > 0; i--) {
                Period period = new Period();
                period.startDay = StateIO.readDay(in, base);
                period.endDay = StateIO.readDay(in, base);
                period.revenue = StateIO.readLong(in);
                period.operatingCost = StateIO.readLong(in);
                period.capex = StateIO.readLong(in);
                period.debtService = StateIO.readLong(in);
                p.periods.add(period);
            }
        }
        for (int i = StateIO.readInt(in); i > 0; i--) {
            Covenants c = new Covenants();
            c.project = StateIO.readText(in, format);
            c.facilityId = StateIO.readText(in, format);
            c.effectiveDay = StateIO.readDay(in, base);
            c.historicLockUp = StateIO.readInt(in);
            c.historicDefault = StateIO.readInt(in);
            c.projectedLockUp = StateIO.readInt(in);
            c.projectedDefault = StateIO.readInt(in);
            c.llcrLockUp = StateIO.readInt(in);
            c.llcrDefault = StateIO.readInt(in);
            c.gearingLockUp = StateIO.readInt(in);
            c.gearingDefault = StateIO.readInt(in);
            if (partFormat >= 4) {
                c.reserveAccountId = StateIO.readString(in, format);
                c.reserveMonths = StateIO.readInt(in);
                c.reserveNamedDay = StateIO.readDay(in, base);
            }
            c.recordedAt = StateIO.readTime(in, format, clock);
            p.covenants.add(c);
        }
        if (partFormat >= 4) {
            p.accounts.read(in, format, base, clock);
        }
        return p;
    }
}
