package dev.kestrel.jobs.risk;

import dev.kestrel.contract.Indicator;
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
 * earlier, and a run of operating cash flows. A restatement of a period replaces it.
 */
final class Financials {
    static final int KEPT = 5; // the latest quarter and the four before it: one year back for year-on-year

    static final class Period {
        int endDay;
        PeriodType type;
        long totalAssets;
        long totalLiabilities;
        long currentAssets;
        long currentLiabilities;
        long revenue;
        long netProfit;
        long operatingCashFlow;
        long receivedAt;
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

    final List<Period> periods = new ArrayList<>();

    void record(FinancialStatement s) {
        Period period = new Period();
        period.endDay = (int) s.getPeriodEnd().toEpochDay();
        period.type = s.getPeriodType();
        period.totalAssets = s.getTotalAssetsMinor();
        period.totalLiabilities = s.getTotalLiabilitiesMinor();
        period.currentAssets = s.getCurrentAssetsMinor();
        period.currentLiabilities = s.getCurrentLiabilitiesMinor();
        period.revenue = s.getRevenueMinor();
        period.netProfit = s.getNetProfitMinor();
        period.operatingCashFlow = s.getOperatingCashFlowMinor();
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
        if (latest.totalAssets > 0) {
            out.set(Indicator.DEBT_TO_ASSETS, Ratios.basisPoints(latest.totalLiabilities, latest.totalAssets), at);
        }
        if (latest.currentLiabilities > 0) {
            out.set(Indicator.CURRENT_RATIO, Ratios.basisPoints(latest.currentAssets, latest.currentLiabilities), at);
        } else {
            out.notApplicable(Indicator.CURRENT_RATIO, at); // no current liabilities to cover
        }
        if (latest.revenue > 0) {
            out.set(Indicator.NET_MARGIN, Ratios.basisPoints(latest.netProfit, latest.revenue), at);
        }
        Period yearBefore = sameTypeEndingNear(latest.type, latest.endDayAYearBefore());
        if (yearBefore != null && yearBefore.revenue > 0) {
            out.set(Indicator.REVENUE_CHANGE_YOY, Ratios.basisPoints(latest.revenue - yearBefore.revenue, yearBefore.revenue), at);
        }
        int negativeRun = 0;
        for (Period period : periods) {
            if (period.type != latest.type || period.operatingCashFlow >= 0) {
                break;
            }
            negativeRun++;
        }
        out.set(Indicator.NEGATIVE_OPERATING_CASH_FLOW_PERIODS, negativeRun, at);
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

    void write(DataOutputView out, int base, long clock) throws IOException {
        StateIO.writeInt(out, periods.size());
        for (Period p : periods) {
            StateIO.writeDay(out, p.endDay, base);
            out.writeByte(p.type.ordinal());
            StateIO.writeLong(out, p.totalAssets);
            StateIO.writeLong(out, p.totalLiabilities);
            StateIO.writeLong(out, p.currentAssets);
            StateIO.writeLong(out, p.currentLiabilities);
            StateIO.writeLong(out, p.revenue);
            StateIO.writeLong(out, p.netProfit);
            StateIO.writeLong(out, p.operatingCashFlow);
            StateIO.writeTime(out, p.receivedAt, clock);
        }
    }

    static Financials read(DataInputView in, int format, int base, long clock) throws IOException {
        Financials f = new Financials();
        for (int i = StateIO.readInt(in); i > 0; i--) {
            Period p = new Period();
            p.endDay = StateIO.readDay(in, base);
            p.type = PeriodType.values()[in.readUnsignedByte()];
            p.totalAssets = StateIO.readLong(in);
            p.totalLiabilities = StateIO.readLong(in);
            p.currentAssets = StateIO.readLong(in);
            p.currentLiabilities = StateIO.readLong(in);
            p.revenue = StateIO.readLong(in);
            p.netProfit = StateIO.readLong(in);
            p.operatingCashFlow = StateIO.readLong(in);
            p.receivedAt = StateIO.readTime(in, format, clock);
            f.periods.add(p);
        }
        return f;
    }
}
