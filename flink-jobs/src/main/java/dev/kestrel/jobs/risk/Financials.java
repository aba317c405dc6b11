package dev.kestrel.jobs.risk;

import dev.kestrel.jobs.indicator.IndicatorValues;
import dev.kestrel.contract.Indicator;
import dev.kestrel.contract.StatementAmounts;
import dev.kestrel.events.FinancialStatement;
import dev.kestrel.events.PeriodType;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The latest financial statements, newest period first: enough for this year's ratios, the same period a year
 * earlier, and a run of operating cash flows. A restatement of a period replaces it. An amount the bank does not have
 * is unknown, not 0, and every indicator built on it is absent.
 */
final class Financials {
    static final int KEPT = 5; // the latest quarter and the four before it: one year back for year-on-year

    // One bit per amount in Period.known, in the order they are written to state.
    static final int ASSETS = 1;
    static final int LIABILITIES = 1 << 1;
    static final int CURRENT_ASSETS = 1 << 2;
    static final int CURRENT_LIABILITIES = 1 << 3;
    static final int REVENUE = 1 << 4;
    static final int NET_PROFIT = 1 << 5;
    static final int OPERATING_CASH_FLOW = 1 << 6;
    static final int EQUITY = 1 << 7;
    /** Capital expenditure and financial debt (short and long term), kept for project companies' cover ratios. */
    static final int CAPEX = 1 << 8;
    static final int DEBT = 1 << 9;
    /** What state written before format 6 held: the seven amounts of version 1, all taken as known. */
    static final int VERSION_1_AMOUNTS = (1 << 7) - 1;

    static final class Period {
        String statementId; // null in state written before format 6
        int endDay;
        PeriodType type;
        int known; // the amounts the statement gave, as bits; the others are unknown and read 0 here
        long totalAssets;
        long totalLiabilities;
        long currentAssets;
        long currentLiabilities;
        long revenue;
        long netProfit;
        long operatingCashFlow;
        long totalEquity;
        long capex;
        long debt;
        long receivedAt;

        boolean knows(int amounts) {
            return (known & amounts) == amounts;
        }

        private long[] amounts() {
            return new long[] {totalAssets, totalLiabilities, currentAssets, currentLiabilities, revenue, netProfit,
                    operatingCashFlow, totalEquity, capex, debt};
        }

        private void amounts(long[] values) {
            totalAssets = values[0];
            totalLiabilities = values[1];
            currentAssets = values[2];
            currentLiabilities = values[3];
            revenue = values[4];
            netProfit = values[5];
            operatingCashFlow = values[6];
            totalEquity = values[7];
            capex = values[8];
            debt = values[9];
        }

        /** The period's first day: statements cover whole months, back from the day after the end. */
        int startDay() {
            LocalDate after = LocalDate.ofEpochDay(endDay + 1L);
            LocalDate start = switch (type) {
                case QUARTER -> after.minusMonths(3);
                case HALF_YEAR -> after.minusMonths(6);
                case YEAR -> after.minusYears(1);
            };
            return (int) start.toEpochDay();
        }
        // Calendar arithmetic, asked several times per event (indicators before and after, the next evaluation
        // day): worked out once per period read, not stored.
        private int nextEndDay = Days.NONE;
        private int endDayAYearBefore = Days.NONE;

        /** The end of the period that follows this one. */
        int nextEndDay() {
            if (nextEndDay == Days.NONE) {
                LocalDate end = LocalDate.ofEpochDay(endDay);
                LocalDate next = switch (type) {
                    case QUARTER -> end.plusMonths(3);
                    case HALF_YEAR -> end.plusMonths(6);
                    case YEAR -> end.plusYears(1);
                };
                nextEndDay = (int) next.toEpochDay();
            }
            return nextEndDay;
        }

        int endDayAYearBefore() {
            if (endDayAYearBefore == Days.NONE) {
                endDayAYearBefore = (int) LocalDate.ofEpochDay(endDay).minusYears(1).toEpochDay();
            }
            return endDayAYearBefore;
        }
    }

    /** The amounts a period can hold; state records which it holds (Period.known), so one written with fewer reads alike. */
    private static final int AMOUNTS = 10;

    final List<Period> periods = new ArrayList<>();

    void record(FinancialStatement s) {
        Period period = new Period();
        period.statementId = s.getStatementId();
        period.endDay = (int) s.getPeriodEnd().toEpochDay();
        period.type = s.getPeriodType();
        long[] amounts = new long[AMOUNTS];
        for (int i = 0; i < StatementAmounts.REQUIRED_IN_V1.size(); i++) {
            Long amount = StatementAmounts.known(s, StatementAmounts.REQUIRED_IN_V1.get(i));
            if (amount != null) {
                amounts[i] = amount;
                period.known |= 1 << i;
            }
        }
        if (s.getTotalEquityMinor() != null) {
            amounts[7] = s.getTotalEquityMinor();
            period.known |= EQUITY;
        }
        if (s.getCapitalExpenditureMinor() != null) {
            amounts[8] = s.getCapitalExpenditureMinor();
            period.known |= CAPEX;
        }
        if (s.getShortTermDebtMinor() != null && s.getLongTermDebtMinor() != null) {
            amounts[9] = Math.addExact(s.getShortTermDebtMinor(), s.getLongTermDebtMinor());
            period.known |= DEBT;
        }
        period.amounts(amounts);
        period.receivedAt = s.getEventTime().toEpochMilli();
        periods.removeIf(p -> p.endDay == period.endDay && p.type == period.type);
        int at = 0;
        while (at < periods.size() && periods.get(at).endDay > period.endDay) {
            at++;
        }
        periods.add(at, period);
        while (periods.size() > KEPT) {
            periods.remove(periods.size() - 1);
        }
    }

    void indicators(IndicatorValues out, int today, RiskSettings settings) {
        if (periods.isEmpty()) {
            return;
        }
        Period latest = periods.get(0);
        long at = latest.receivedAt;
        if (latest.knows(ASSETS | LIABILITIES) && latest.totalAssets > 0) {
            out.set(Indicator.DEBT_TO_ASSETS, Ratios.basisPoints(latest.totalLiabilities, latest.totalAssets), at);
        }
        if (latest.knows(CURRENT_ASSETS | CURRENT_LIABILITIES)) {
            if (latest.currentLiabilities > 0) {
                out.set(Indicator.CURRENT_RATIO, Ratios.basisPoints(latest.currentAssets, latest.currentLiabilities), at);
            } else {
                out.notApplicable(Indicator.CURRENT_RATIO, at); // no current liabilities to cover
            }
        }
        if (latest.knows(NET_PROFIT)) {
            out.set(Indicator.NET_LOSS, latest.netProfit < 0 ? 1 : 0, at);
            if (latest.knows(REVENUE) && latest.revenue > 0) {
                // Rounded down: a loss of any size stays below 0 (-0.4 bp is -1 bp, not a break-even 0).
                out.set(Indicator.NET_MARGIN, Ratios.basisPointsRoundedDown(latest.netProfit, latest.revenue), at);
            } else if (latest.knows(REVENUE)) {
                out.notApplicable(Indicator.NET_MARGIN, at); // no revenue to measure a margin on
            }
        }
        if (latest.knows(EQUITY)) {
            out.set(Indicator.NEGATIVE_EQUITY, latest.totalEquity < 0 ? 1 : 0, at);
        }
        Period yearBefore = sameTypeEndingNear(latest.type, latest.endDayAYearBefore());
        if (yearBefore != null && latest.knows(REVENUE) && yearBefore.knows(REVENUE) && yearBefore.revenue > 0) {
            out.set(Indicator.REVENUE_CHANGE_YOY, Ratios.basisPoints(latest.revenue - yearBefore.revenue, yearBefore.revenue), at);
        }
        if (latest.knows(OPERATING_CASH_FLOW)) {
            int negativeRun = 0; // a period without the figure ends the run: the count is what is known for certain
            for (Period period : periods) {
                if (period.type != latest.type || !period.knows(OPERATING_CASH_FLOW) || period.operatingCashFlow >= 0) {
                    break;
                }
                negativeRun++;
            }
            out.set(Indicator.NEGATIVE_OPERATING_CASH_FLOW_PERIODS, negativeRun, at);
        }
        int dueDay = nextStatementDueDay(settings);
        out.set(Indicator.STATEMENT_OVERDUE_DAYS, Math.max(0, today - dueDay), Days.start(Math.max(today, dueDay)));
    }

    /** The day after which the statement for the period following the latest one is overdue. */
    private int nextStatementDueDay(RiskSettings settings) {
        return periods.get(0).nextEndDay() + settings.statementGraceDays();
    }

    int nextEvaluationDay(int today, RiskSettings settings) {
        if (periods.isEmpty()) {
            return Days.NONE;
        }
        int dueDay = nextStatementDueDay(settings);
        return dueDay >= today ? dueDay + 1 : today + 1; // once overdue, the count moves every day
    }

    private Period sameTypeEndingNear(PeriodType type, int day) {
        for (Period period : periods) {
            if (period.type == type && Math.abs(period.endDay - day) <= 10) {
                return period;
            }
        }
        return null;
    }

    /** The latest statement, whose figures a financial alert is about: its id, the period and when it came. */
    void explain(Evidence evidence) {
        Period statement = latest();
        if (statement == null) {
            return;
        }
        String period = switch (statement.type) {
            case QUARTER -> "quarter";
            case HALF_YEAR -> "half-year";
            case YEAR -> "year";
        };
        evidence.add("latest statement" + (statement.statementId == null ? "" : " " + statement.statementId) + ": " + period + " to "
                + LocalDate.ofEpochDay(statement.endDay) + ", received " + LocalDate.ofEpochDay(Days.of(statement.receivedAt)),
                statement.statementId, "FinancialStatement", statement.receivedAt);
    }

    /** The latest statement, for the explanation of an alert its figures raised; null before the first. */
    Period latest() {
        return periods.isEmpty() ? null : periods.get(0);
    }

    void write(DataOutputView out, int base, long clock) throws IOException {
        StateIO.writeInt(out, periods.size());
        for (Period p : periods) {
            StateIO.writeString(out, p.statementId);
            StateIO.writeDay(out, p.endDay, base);
            out.writeByte(p.type.ordinal());
            StateIO.writeInt(out, p.known);
            long[] amounts = p.amounts();
            for (int i = 0; i < AMOUNTS; i++) {
                if ((p.known & (1 << i)) != 0) {
                    StateIO.writeLong(out, amounts[i]);
                }
            }
            StateIO.writeTime(out, p.receivedAt, clock);
        }
    }

    static Financials read(DataInputView in, int format, int base, long clock) throws IOException {
        Financials f = new Financials();
        for (int i = StateIO.readInt(in); i > 0; i--) {
            Period p = new Period();
            if (format >= 6) {
                p.statementId = StateIO.readString(in, format);
            }
            p.endDay = StateIO.readDay(in, base);
            p.type = PeriodType.values()[in.readUnsignedByte()];
            p.known = format >= 6 ? StateIO.readInt(in) : VERSION_1_AMOUNTS; // before 6 every amount was required
            long[] amounts = new long[AMOUNTS];
            for (int a = 0; a < AMOUNTS; a++) {
                if ((p.known & (1 << a)) != 0) {
                    amounts[a] = StateIO.readLong(in);
                }
            }
            p.amounts(amounts);
            p.receivedAt = StateIO.readTime(in, format, clock);
            f.periods.add(p);
        }
        return f;
    }
}
