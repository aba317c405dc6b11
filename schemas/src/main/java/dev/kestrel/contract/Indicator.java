package dev.kestrel.contract;

import dev.kestrel.events.AlertScope;
import dev.kestrel.events.IndicatorUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * Every indicator a rule may name, with the scope it describes: one borrower, one corporate group, or one industry or
 * region of the portfolio. A rule names only indicators of its own scope. All are whole numbers in a declared unit:
 * money in minor units, ratios in basis points, flags as 1 or 0, so comparisons are exact and state stays small. An
 * indicator with no data to compute it from (no statement received, too little history, no receipts in the baseline
 * period, no group limit) is unknown, and absent: a clause on it does not hold, so no alert opens on it, and an open
 * alert does not close for it either: missing data is not a recovery. An indicator that does not apply to the
 * subject (the utilisation of a borrower with no facility that can be redrawn) is absent too, but known: no clause on
 * it holds, and an open alert on it closes.
 */
public enum Indicator {
    INFLOW_30D("inflow30d", IndicatorUnit.MINOR_UNITS, "Money into the borrower's accounts from its business over the last 30 days: loan drawdowns are financing, not receipts, and are left out."),
    OUTFLOW_30D("outflow30d", IndicatorUnit.MINOR_UNITS, "Money out of the borrower's accounts for its business over the last 30 days: repayments of its loans are debt service and are left out."),
    INFLOW_90D("inflow90d", IndicatorUnit.MINOR_UNITS, "Money in from the business over the last 90 days, drawdowns left out (days 31 to 90 counted in 10-day blocks)."),
    OUTFLOW_90D("outflow90d", IndicatorUnit.MINOR_UNITS, "Money out for the business over the last 90 days, loan repayments left out (days 31 to 90 counted in 10-day blocks)."),
    OUTFLOW_TO_INFLOW_30D("outflowToInflow30d", IndicatorUnit.BASIS_POINTS,
            "Money out over money in, last 30 days: above 10000 the borrower spends more than it receives; present after 20 days of history."),
    OUTFLOW_TO_INFLOW_90D("outflowToInflow90d", IndicatorUnit.BASIS_POINTS, "Money out over money in, last 90 days; present after 60 days of history."),
    INFLOW_BASELINE_30D("inflowBaseline30d", IndicatorUnit.MINOR_UNITS,
            "Average monthly inflow over the 90 days before the last 30; present after 60 days of history."),
    INFLOW_DROP("inflowDrop", IndicatorUnit.BASIS_POINTS,
            "How far the last 30 days' inflow fell below the baseline: (baseline - inflow30d) / baseline; negative for a rise."),
    OUTFLOW_SIZE_VS_USUAL("outflowSizeVsUsual", IndicatorUnit.BASIS_POINTS,
            "The latest single outflow against the borrower's usual outflow size (a moving average of earlier outflows); present after 10 outflows."),
    BALANCE("balance", IndicatorUnit.MINOR_UNITS, "The latest reported account balance."),
    NEGATIVE_BALANCE("negativeBalance", IndicatorUnit.FLAG, "1 when the latest reported balance is below zero."),
    PROCEEDS_TO_NEW_COUNTERPARTIES("proceedsToNewCounterparties", IndicatorUnit.BASIS_POINTS,
            "Share of the latest disbursement paid on to counterparties never seen before, within the diversion window after it."),
    DAYS_PAST_DUE("daysPastDue", IndicatorUnit.DAYS, "Days the oldest unpaid instalment of any facility is past its due date."),
    OVERDUE_AMOUNT("overdueAmount", IndicatorUnit.MINOR_UNITS, "Unpaid amount of all instalments past their due date."),
    MATERIAL_DAYS_PAST_DUE("materialDaysPastDue", IndicatorUnit.DAYS,
            "Consecutive days the arrears have been material: above the absolute floor and above the share of exposure (EU CRR art. 178)."),
    IN_DEFAULT("inDefault", IndicatorUnit.FLAG,
            "EU regime only: 1 from the 91st material day past due (CRR art. 178(1)(b)) until the arrears are cured and the cure probation has passed."),
    IFRS9_STAGE("ifrs9Stage", IndicatorUnit.COUNT,
            "Worst expected-credit-loss stage of the active regimes: EU IFRS 9 (2 over 30 material days past due, 3 in default), CN CAS 22 (2 over 30 days overdue, 3 substandard or worse), IN Ind AS 109 (2 over 30 days, 3 NPA)."),
    LOAN_CATEGORY("loanCategory", IndicatorUnit.COUNT,
            "CN regime only: the five categories as a floor from days overdue, no money floor: 1 normal, 2 special mention (any overdue), 3 substandard (>90), 4 doubtful (>270), 5 loss (>360)."),
    SMA_CLASS("smaClass", IndicatorUnit.COUNT,
            "IN regime only: RBI special mention: 0 standard, 1 SMA-0 (1-30 days), 2 SMA-1 (31-60), 3 SMA-2 (61-90), 4 NPA (over 90)."),
    REGULATORY_STEP("regulatoryStep", IndicatorUnit.COUNT,
            "The worst step of any active regime: 0 performing, 1 past due (CN special mention, IN SMA-0, EU material arrears), 2 stage 2 (IN SMA-1), 3 IN SMA-2, 4 non-performing (EU default, CN substandard, IN NPA), 5 doubtful (CN over 270 days, IN NPA for 12 months), 6 loss (CN over 360 days)."),
    SERVICING_ARREARS_MISMATCH("servicingArrearsMismatch", IndicatorUnit.FLAG,
            "1 when a loan servicing system's latest arrears report for a facility whose schedule the bank sends disagrees with "
                    + "the schedule on the report's day (days past due more than 1 apart, or overdue amounts more than the materiality "
                    + "floor apart); 0 when every such report agrees; unknown before any."),
    UPCOMING_INSTALMENT_SHORTFALL("upcomingInstalmentShortfall", IndicatorUnit.MINOR_UNITS,
            "What instalments due within the reminder horizon exceed the larger of the balance and the last 30 days' inflow; "
                    + "0 when nothing is due. Unknown while the engine has seen no transaction of the borrower: its accounts are "
                    + "not fed, so its means are unknown, not zero."),
    LIMIT_UTILISATION("limitUtilisation", IndicatorUnit.BASIS_POINTS,
            "Drawn amount of the facilities that can be redrawn (REVOLVING, WORKING_CAPITAL, TRADE_FINANCE) against their limits; "
                    + "not applicable to a borrower with none: a term or project-finance loan is judged on its repayments."),
    LIMIT_BREACH("limitBreach", IndicatorUnit.FLAG, "1 when any facility, of any type, is drawn above its limit."),
    DEBT_TO_ASSETS("debtToAssets", IndicatorUnit.BASIS_POINTS, "Total liabilities over total assets, latest statement; unknown unless both are known."),
    CURRENT_RATIO("currentRatio", IndicatorUnit.BASIS_POINTS,
            "Current assets over current liabilities, latest statement; unknown unless both are known, not applicable without current liabilities."),
    REVENUE_CHANGE_YOY("revenueChangeYoy", IndicatorUnit.BASIS_POINTS,
            "Revenue change against the statement of the same period a year earlier."),
    NET_MARGIN("netMargin", IndicatorUnit.BASIS_POINTS,
            "Net profit over revenue, latest statement, rounded down so that any loss is below 0; unknown when either is, not applicable without revenue."),
    NET_LOSS("netLoss", IndicatorUnit.FLAG, "1 when the latest statement shows a net loss of any size, 0 for a profit; unknown when net profit is."),
    NEGATIVE_EQUITY("negativeEquity", IndicatorUnit.FLAG,
            "1 when the latest statement reports total equity below zero; unknown when equity is not reported (it is not inferred from assets less liabilities)."),
    NEGATIVE_OPERATING_CASH_FLOW_PERIODS("negativeOperatingCashFlowPeriods", IndicatorUnit.COUNT,
            "Latest statements in a row with negative operating cash flow; unknown when the latest one's is, and a statement without it ends the run."),
    STATEMENT_OVERDUE_DAYS("statementOverdueDays", IndicatorUnit.DAYS,
            "Days past the end of the next expected period plus the grace period without a statement."),
    RATING_DOWNGRADE_NOTCHES("ratingDowngradeNotches", IndicatorUnit.NOTCHES,
            "Notches the external rating fell from its best in the last 365 days."),
    OVERDUE_ELSEWHERE("overdueElsewhere", IndicatorUnit.MINOR_UNITS, "Amount past due at other lenders reported in the last 180 days."),
    LAWSUITS_365D("lawsuits365d", IndicatorUnit.COUNT, "Lawsuits and enforcement actions against the borrower reported in the last 365 days."),
    ENFORCEMENT_365D("enforcement365d", IndicatorUnit.FLAG, "1 when a court enforced against the borrower's assets in the last 365 days."),
    GUARANTEE_CALLED_365D("guaranteeCalled365d", IndicatorUnit.FLAG, "1 when a guarantee the borrower gave was called in the last 365 days."),
    TAX_ARREARS_365D("taxArrears365d", IndicatorUnit.FLAG, "1 when tax arrears were reported in the last 365 days."),
    NEGATIVE_NEWS_90D("negativeNews90d", IndicatorUnit.FLAG, "1 when adverse media was reported in the last 90 days."),
    LOAN_TO_VALUE("loanToValue", IndicatorUnit.BASIS_POINTS,
            "Highest drawn amount over lending value (value less haircut) of the collateral, across secured facilities; "
                    + "not applicable when no facility of the profile is secured."),
    NON_PERFORMING_CLAIMS_SHARE("nonPerformingClaimsShare", IndicatorUnit.BASIS_POINTS,
            "CN regime only: share of the borrower's claims (per facility the larger of drawn and past due) on facilities over 90 days overdue; over 10% makes all its claims non-performing (办法 art. 7)."),

    GROUP_DRAWN("groupDrawn", IndicatorUnit.MINOR_UNITS, AlertScope.GROUP,
            "Drawn amount of all members in the group limit's currency."),
    GROUP_LIMIT("groupLimit", IndicatorUnit.MINOR_UNITS, AlertScope.GROUP, "The limit the members share; absent until a limit record arrives."),
    GROUP_LIMIT_UTILISATION("groupLimitUtilisation", IndicatorUnit.BASIS_POINTS, AlertScope.GROUP,
            "groupDrawn over groupLimit; absent without a limit."),
    GROUP_MEMBERS("groupMembers", IndicatorUnit.COUNT, AlertScope.GROUP, "Members of the group the engine knows of."),
    DISTRESSED_MEMBERS("distressedMembers", IndicatorUnit.COUNT, AlertScope.GROUP,
            "Members past due under an active regime (loan category special mention or worse) or in default."),
    DISTRESSED_MEMBER_SHARE("distressedMemberShare", IndicatorUnit.BASIS_POINTS, AlertScope.GROUP,
            "distressedMembers over groupMembers."),
    NON_PERFORMING_MEMBERS("nonPerformingMembers", IndicatorUnit.COUNT, AlertScope.GROUP,
            "Members non-performing under an active regime: loan category substandard or worse (EU default and IN NPA count as substandard)."),
    CRITICAL_ALERT_MEMBERS("criticalAlertMembers", IndicatorUnit.COUNT, AlertScope.GROUP,
            "Members with an open CRITICAL borrower alert."),
    WORST_MEMBER_CATEGORY("worstMemberCategory", IndicatorUnit.COUNT, AlertScope.GROUP,
            "The worst loan category among the members: 1 normal to 5 loss."),

    INDUSTRY_EXPOSURE_SHARE("industryExposureShare", IndicatorUnit.BASIS_POINTS, AlertScope.PORTFOLIO,
            "One industry's share of the portfolio's drawn exposure; present only when a rule is evaluated for an industry."),
    REGION_EXPOSURE_SHARE("regionExposureShare", IndicatorUnit.BASIS_POINTS, AlertScope.PORTFOLIO,
            "One region's share of the portfolio's drawn exposure; present only when a rule is evaluated for a region."),
    PORTFOLIO_BORROWERS("portfolioBorrowers", IndicatorUnit.COUNT, AlertScope.PORTFOLIO,
            "Borrowers with drawn exposure in the portfolio's currency; lets a rule ignore a portfolio too small for shares to mean anything."),

    // Last, whatever its scope: kept state records indicators by ordinal, so a new one never moves the others.
    REVIEW_OVERDUE_DAYS("reviewOverdueDays", IndicatorUnit.DAYS,
            "Days past the day the borrower's next periodic review was due (the snapshot's reviewDueDate): one period of its "
                    + "watch grade (options review.every.*) after its latest review (before the first, after its first profile), "
                    + "or the reviewer's earlier date, brought forward by a move to another grade to one period of the new grade "
                    + "after the move when sooner; 0 until then, absent before a profile or a review."),
    // Project companies (项目融资) only: absent for any other borrower.
    HISTORIC_DSCR("historicDscr", IndicatorUnit.BASIS_POINTS,
            "Project companies in operation: cash flow available for debt service (operating cash flow less capex, from the "
                    + "statements covering, back to back, the latest 12 months they complete, which start on or after the day "
                    + "operation began) over the debt service the base case schedules in periods ending in those months, in "
                    + "basis points of 1x (12000 = 1.20x); absent without such a year or a model, or when nothing falls due in it."),
    PROJECTED_DSCR("projectedDscr", IndicatorUnit.BASIS_POINTS,
            "Project companies in operation: the base case's cash flow available for debt service (revenue less operating "
                    + "cost and capex) over its debt service, in the periods not yet ended that end within the next 12 months; "
                    + "absent under construction, when nothing falls due in them, or when every period has ended."),
    LLCR("llcr", IndicatorUnit.BASIS_POINTS,
            "Project companies in operation: loan life cover ratio, the present value of the base case's cash flow "
                    + "available for debt service of the periods to the last debt service over the present value of their debt "
                    + "service (the whole debt it repays, whatever the bank's share), each discounted from its end to the start "
                    + "of the period running today at the model's rate; absent under construction or with no debt service left."),
    COVENANT_LEVEL("covenantLevel", IndicatorUnit.COUNT,
            "Project companies: the worst financial covenant in force (FacilityCovenants from its effectiveDate): 2 when a "
                    + "ratio is below a cover's default level (debt to equity above its default level; equity of nothing or "
                    + "less counts as above any), 1 below a lock-up level, 0 when every ratio known complies (a ratio at its "
                    + "level complies); absent until a covenant and its ratio are known."),
    MILESTONE_SLIPPAGE_DAYS("milestoneSlippageDays", IndicatorUnit.DAYS,
            "Project companies: the most days a milestone not yet reached slips past its planned date, to the date now "
                    + "expected or, once that has passed unreached, to today (below 0 when all are ahead); 0 when every "
                    + "milestone is reached, absent without a progress report."),
    COD_MARGIN_DAYS("codMarginDays", IndicatorUnit.DAYS,
            "Project companies under construction: days from the commercial operation date now expected (the "
                    + "COMMERCIAL_OPERATION milestone planned last, its expected date sliding to today once passed; without "
                    + "one the scheduled date, likewise) to the first repayment of principal; below 0 when it falls due before "
                    + "there is revenue to pay it. Not applicable in operation; absent without a first repayment date."),
    CAPEX_OVERRUN("capexOverrun", IndicatorUnit.BASIS_POINTS,
            "Project companies under construction: the capex the latest base case expects in the periods that start before "
                    + "commercial operation is now expected, less the project's total investment, over it (1000 = 10% over; "
                    + "below 0 under budget). Not applicable in operation."),
    REVENUE_SHORTFALL("revenueShortfall", IndicatorUnit.BASIS_POINTS,
            "Project companies: how far the receipts on the project revenue account (credits other than loan drawdowns, "
                    + "repayments and money from a reserve account, in the project's currency) fell short of the base case's revenue in each of the model's "
                    + "last two periods ended, back to back and both with revenue forecast: the smaller shortfall over the "
                    + "forecast (1000 = both 10% or more short; below 0 when either met its forecast). Absent without a revenue "
                    + "account, or when either period started on or before the day the project naming it applied, or before the 36 months up "
                    + "to the latest receipt."),
    DSRA_FUNDING("dsraFunding", IndicatorUnit.BASIS_POINTS,
            "Project companies whose covenant in force requires a debt-service reserve: the reserve account's latest "
                    + "balance over the debt service the base case schedules in the periods not yet ended that end within the "
                    + "months the covenant names (10000 = funded exactly); the worst reserve. Absent until a balance of the "
                    + "account is known, without a model, or when nothing falls due in those months.");

    private static final Map<String, Indicator> BY_NAME = new HashMap<>();

    static {
        for (Indicator indicator : values()) {
            BY_NAME.put(indicator.indicatorName, indicator);
        }
    }

    private final String indicatorName;
    private final IndicatorUnit unit;
    private final AlertScope scope;
    private final String meaning;

    Indicator(String indicatorName, IndicatorUnit unit, String meaning) {
        this(indicatorName, unit, AlertScope.BORROWER, meaning);
    }

    Indicator(String indicatorName, IndicatorUnit unit, AlertScope scope, String meaning) {
        this.indicatorName = indicatorName;
        this.unit = unit;
        this.scope = scope;
        this.meaning = meaning;
    }

    /** The name rules and explanations use, e.g. {@code daysPastDue}. */
    public String indicatorName() {
        return indicatorName;
    }

    public IndicatorUnit unit() {
        return unit;
    }

    /** What the indicator describes; only rules of this scope may name it. */
    public AlertScope scope() {
        return scope;
    }

    public String meaning() {
        return meaning;
    }

    /** The indicator of that name, or null. */
    public static Indicator named(String name) {
        return BY_NAME.get(name);
    }
}
