package dev.kestrel.jobs.risk;

import dev.kestrel.jobs.indicator.IndicatorValues;
import dev.kestrel.contract.Indicator;
import dev.kestrel.events.Direction;
import dev.kestrel.events.TransactionEvent;
import dev.kestrel.events.TransactionKind;
import dev.kestrel.jobs.risk.Evidence.Citation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A borrower's money movements as incremental aggregates: day buckets for the last 30 days, 10-day blocks for the
 * 90 days before them, a moving average of outflow size, the latest balance, a Bloom filter of counterparties seen
 * and the fate of the latest disbursement. Each transaction costs O(1), plus O(days skipped) when the day rolls.
 */
final class CashFlow {
    static final int DAYS = 30;
    static final int BLOCK_DAYS = 10;
    static final int BLOCKS = 9; // 90 days of history before the 30-day window
    static final int MIN_OUTFLOWS_FOR_USUAL = 10;
    static final int MIN_HISTORY_DAYS_FOR_BASELINE = 60;
    static final int MIN_HISTORY_DAYS_FOR_DIVERSION = 30;
    static final int MIN_HISTORY_DAYS_FOR_30D_RATIO = 20;
    static final int MIN_HISTORY_DAYS_FOR_90D_RATIO = 60;

    int newestDay = Days.NONE;
    int firstDay = Days.NONE;
    final long[] dailyIn = new long[DAYS];
    final long[] dailyOut = new long[DAYS];
    long in30;
    long out30;
    int newestBlock = Days.NONE;
    final long[] blockIn = new long[BLOCKS];
    final long[] blockOut = new long[BLOCKS];

    long usualOutflow;
    int outflowCount;
    long latestOutflowVsUsual;
    long latestOutflowAt = Long.MIN_VALUE;

    long balance;
    long balanceAt = Long.MIN_VALUE;

    final CounterpartyFilter counterparties = new CounterpartyFilter();
    long disbursed;
    long disbursedAt = Long.MIN_VALUE;
    long paidToNewCounterparties;
    /** The latest disbursement and the first payments of it to new counterparties, cited by a diversion alert. */
    Citation disbursement;
    final List<Citation> divertedPayments = new ArrayList<>();
    static final int CITED_PAYMENTS = 3;

    void record(TransactionEvent t, RiskSettings settings) {
        long at = t.getEventTime().toEpochMilli();
        int day = Days.of(at);
        long amount = t.getAmountMinor();
        boolean inflow = t.getDirection() == Direction.CREDIT;
        long counted = isOperating(t) ? amount : 0; // a financing movement still shows the account is fed, and when
        addToBuckets(day, inflow ? counted : 0, inflow ? 0 : counted);

        if (t.getBalanceAfterMinor() != null && at >= balanceAt) {
            balance = t.getBalanceAfterMinor();
            balanceAt = at;
        }
        if (!inflow && t.getKind() != TransactionKind.REPAYMENT) {
            recordOutflowSize(amount, at);
        }
        if (inflow && t.getKind() == TransactionKind.DISBURSEMENT) {
            disbursed = amount;
            disbursedAt = at;
            paidToNewCounterparties = 0;
            disbursement = new Citation(t.getEventId(), "TransactionEvent", at, "disbursement " + t.getEventId() + " of "
                    + AlertEpisodes.money(amount, t.getCurrency()) + (t.getFacilityId() == null ? "" : " under " + t.getFacilityId())
                    + " on " + Evidence.date(at));
            divertedPayments.clear();
        }
        String counterparty = t.getCounterpartyId();
        if (counterparty != null) {
            boolean known = counterparties.mightContain(counterparty);
            if (!inflow && !known && disbursedAt != Long.MIN_VALUE && at >= disbursedAt
                    && at <= disbursedAt + settings.diversionWindowDays() * Days.MILLIS_PER_DAY) {
                paidToNewCounterparties = Math.addExact(paidToNewCounterparties, amount);
                if (divertedPayments.size() < CITED_PAYMENTS) {
                    // The payment is cited by its event id; the counterparty's account is not written into the text, where it
                    // would escape the masking of personal data (it may be an individual's account).
                    divertedPayments.add(new Citation(t.getEventId(), "TransactionEvent", at, AlertEpisodes.money(amount, t.getCurrency())
                            + " paid on " + Evidence.date(at) + " to a counterparty never paid or heard from before"));
                }
            }
            counterparties.add(counterparty);
        }
    }

    /**
     * Whether a movement is the business's own cash flow, which the inflow and outflow indicators measure: a loan's
     * drawdown credited to the account is financing, not a receipt from customers, and repaying the loan is debt
     * service, not spending. Counting either would make a drawdown raise the receipts baseline and a month later
     * read steady receipts as a collapse.
     */
    static boolean isOperating(TransactionEvent t) {
        return t.getKind() != TransactionKind.DISBURSEMENT && t.getKind() != TransactionKind.REPAYMENT;
    }

    private void recordOutflowSize(long amount, long at) {
        if (outflowCount >= MIN_OUTFLOWS_FOR_USUAL && usualOutflow > 0) {
            latestOutflowVsUsual = Ratios.basisPoints(amount, usualOutflow);
            latestOutflowAt = at;
        }
        // An integer moving average with weight 1/8: the usual size follows the borrower's habits over weeks.
        usualOutflow = outflowCount == 0 ? amount : usualOutflow + (amount - usualOutflow) / 8;
        outflowCount = Math.min(outflowCount + 1, 1_000_000);
    }

    private void addToBuckets(int day, long in, long out) {
        if (newestDay == Days.NONE) {
            newestDay = day;
        }
        firstDay = firstDay == Days.NONE ? day : Math.min(firstDay, day);
        advanceTo(day);
        if (day > newestDay - DAYS) {
            int slot = Math.floorMod(day, DAYS);
            dailyIn[slot] = Math.addExact(dailyIn[slot], in);
            dailyOut[slot] = Math.addExact(dailyOut[slot], out);
            in30 = Math.addExact(in30, in);
            out30 = Math.addExact(out30, out);
        } else {
            addToBlock(Math.floorDiv(day, BLOCK_DAYS), in, out);
        }
    }

    /** Moves the 30-day window forward to {@code day}; days leaving it are added to their 10-day block. */
    void advanceTo(int day) {
        if (newestDay == Days.NONE || day <= newestDay) {
            return;
        }
        int lastLeaving = Math.min(newestDay, day - DAYS);
        for (int leaving = newestDay - DAYS + 1; leaving <= lastLeaving; leaving++) {
            int slot = Math.floorMod(leaving, DAYS);
            if (dailyIn[slot] != 0 || dailyOut[slot] != 0) {
                addToBlock(Math.floorDiv(leaving, BLOCK_DAYS), dailyIn[slot], dailyOut[slot]);
                in30 -= dailyIn[slot];
                out30 -= dailyOut[slot];
                dailyIn[slot] = 0;
                dailyOut[slot] = 0;
            }
        }
        newestDay = day;
    }

    private void addToBlock(int block, long in, long out) {
        if (newestBlock == Days.NONE) {
            newestBlock = block;
        }
        if (block > newestBlock) {
            for (int b = Math.max(newestBlock + 1, block - BLOCKS + 1); b <= block; b++) {
                blockIn[Math.floorMod(b, BLOCKS)] = 0;
                blockOut[Math.floorMod(b, BLOCKS)] = 0;
            }
            newestBlock = block;
        }
        if (block > newestBlock - BLOCKS) {
            int slot = Math.floorMod(block, BLOCKS);
            blockIn[slot] = Math.addExact(blockIn[slot], in);
            blockOut[slot] = Math.addExact(blockOut[slot], out);
        }
    }

    void indicators(IndicatorValues out, int today, long now, RiskSettings settings) {
        if (newestDay == Days.NONE) {
            return;
        }
        advanceTo(today);
        out.set(Indicator.INFLOW_30D, in30, now);
        out.set(Indicator.OUTFLOW_30D, out30, now);
        long in90 = Math.addExact(in30, blockSum(blockIn, today - 89));
        long out90 = Math.addExact(out30, blockSum(blockOut, today - 89));
        out.set(Indicator.INFLOW_90D, in90, now);
        out.set(Indicator.OUTFLOW_90D, out90, now);
        int historyDays = today - firstDay;
        // A window's ratio needs most of the window: a new customer's first week of salaries and taxes against a
        // few receipts is not a 90-day burn rate.
        if (in30 > 0 && historyDays >= MIN_HISTORY_DAYS_FOR_30D_RATIO) {
            out.set(Indicator.OUTFLOW_TO_INFLOW_30D, Ratios.basisPoints(out30, in30), now);
        }
        if (in90 > 0 && historyDays >= MIN_HISTORY_DAYS_FOR_90D_RATIO) {
            out.set(Indicator.OUTFLOW_TO_INFLOW_90D, Ratios.basisPoints(out90, in90), now);
        }

        if (historyDays >= MIN_HISTORY_DAYS_FOR_BASELINE && newestBlock != Days.NONE) {
            int oldestBlock = Math.max(Math.floorDiv(today - 119, BLOCK_DAYS), newestBlock - BLOCKS + 1);
            int coveredFrom = Math.max(oldestBlock * BLOCK_DAYS, firstDay);
            int coveredDays = (today - DAYS) - coveredFrom + 1;
            if (coveredDays > 0) {
                long received = blockSum(blockIn, today - 119);
                // received x 30 / days, exactly and without a product beyond a long: the same money ages through the
                // windows for 120 days, and a sum that fit when it was booked must not overflow a month later.
                long baseline = received / coveredDays * DAYS + received % coveredDays * DAYS / coveredDays;
                out.set(Indicator.INFLOW_BASELINE_30D, baseline, now);
                if (baseline > 0) {
                    out.set(Indicator.INFLOW_DROP, Ratios.basisPoints(Math.subtractExact(baseline, in30), baseline), now);
                }
            }
        }
        if (latestOutflowAt != Long.MIN_VALUE) {
            out.set(Indicator.OUTFLOW_SIZE_VS_USUAL, latestOutflowVsUsual, latestOutflowAt);
        }
        if (balanceAt != Long.MIN_VALUE) {
            out.set(Indicator.BALANCE, balance, balanceAt);
            out.set(Indicator.NEGATIVE_BALANCE, balance < 0 ? 1 : 0, balanceAt);
        }
        if (disbursed > 0 && Days.of(disbursedAt) - firstDay >= MIN_HISTORY_DAYS_FOR_DIVERSION) {
            out.set(Indicator.PROCEEDS_TO_NEW_COUNTERPARTIES, Ratios.basisPoints(Math.min(paidToNewCounterparties, disbursed), disbursed), now);
        }
    }

    /**
     * Whether money is still in the 30-day window or in the blocks of the 90 days before it as of {@code today}: then
     * the flows, their ratios, the baseline and the inflow drop move with each passing day, event or not. Reads only.
     */
    boolean movesWithTime(int today) {
        if (newestDay == Days.NONE) {
            return false;
        }
        for (int day = Math.max(newestDay - DAYS + 1, today - 119); day <= newestDay; day++) {
            int slot = Math.floorMod(day, DAYS);
            if (dailyIn[slot] != 0 || dailyOut[slot] != 0) {
                return true;
            }
        }
        if (newestBlock != Days.NONE) {
            for (int block = Math.max(newestBlock - BLOCKS + 1, Math.floorDiv(today - 119, BLOCK_DAYS)); block <= newestBlock; block++) {
                int slot = Math.floorMod(block, BLOCKS);
                if (blockIn[slot] != 0 || blockOut[slot] != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Sum of the blocks that end on or after {@code fromDay}. */
    private long blockSum(long[] blocks, int fromDay) {
        if (newestBlock == Days.NONE) {
            return 0;
        }
        long sum = 0;
        for (int block = Math.max(newestBlock - BLOCKS + 1, Math.floorDiv(fromDay, BLOCK_DAYS)); block <= newestBlock; block++) {
            sum = Math.addExact(sum, blocks[Math.floorMod(block, BLOCKS)]);
        }
        return sum;
    }

    /** The disbursement a diversion alert is about and the payments of it to new counterparties. */
    void explainDiversion(Evidence evidence) {
        if (disbursement != null) {
            evidence.add(disbursement);
        }
        divertedPayments.forEach(evidence::add);
    }

    /** The last 30 days' inflow, for the reminder check. */
    long inflow30() {
        return in30;
    }

    boolean hasBalance() {
        return balanceAt != Long.MIN_VALUE;
    }

    /**
     * Whether the engine is fed the borrower's accounts: it has seen at least one of its transactions, so that 30 days
     * without receipts mean no receipts and not no data. A reported balance comes with a transaction, so it implies this.
     */
    boolean hasHistory() {
        return newestDay != Days.NONE;
    }

    void write(DataOutputView out, long clock) throws IOException {
        StateIO.writeInt(out, newestDay);
        StateIO.writeDay(out, firstDay, newestDay);
        StateIO.writeSlots(out, dailyIn);
        StateIO.writeSlots(out, dailyOut);
        StateIO.writeInt(out, newestBlock);
        StateIO.writeSlots(out, blockIn);
        StateIO.writeSlots(out, blockOut);
        StateIO.writeLong(out, usualOutflow);
        StateIO.writeInt(out, outflowCount);
        StateIO.writeLong(out, latestOutflowVsUsual);
        StateIO.writeTime(out, latestOutflowAt, clock);
        StateIO.writeLong(out, balance);
        StateIO.writeTime(out, balanceAt, clock);
        counterparties.write(out);
        StateIO.writeLong(out, disbursed);
        StateIO.writeTime(out, disbursedAt, clock);
        StateIO.writeLong(out, paidToNewCounterparties);
    }

    /** The disbursement and diverted payments cited (format 7 on), written after the rest of the borrower's state. */
    void writeCitations(DataOutputView out, long clock) throws IOException {
        Citation.writeOptional(out, disbursement, clock);
        Citation.writeList(out, divertedPayments, clock);
    }

    void readCitations(DataInputView in, int format, long clock) throws IOException {
        disbursement = Citation.readOptional(in, format, clock, "TransactionEvent");
        Citation.readList(in, format, clock, "TransactionEvent", divertedPayments);
    }

    static CashFlow read(DataInputView in, int format, long clock) throws IOException {
        CashFlow c = new CashFlow();
        c.newestDay = StateIO.readInt(in);
        c.firstDay = StateIO.readDay(in, c.newestDay);
        StateIO.readSlots(in, format, c.dailyIn);
        StateIO.readSlots(in, format, c.dailyOut);
        for (int i = 0; i < DAYS; i++) {
            c.in30 += c.dailyIn[i];
            c.out30 += c.dailyOut[i];
        }
        c.newestBlock = StateIO.readInt(in);
        StateIO.readSlots(in, format, c.blockIn);
        StateIO.readSlots(in, format, c.blockOut);
        c.usualOutflow = StateIO.readLong(in);
        c.outflowCount = StateIO.readInt(in);
        c.latestOutflowVsUsual = StateIO.readLong(in);
        c.latestOutflowAt = StateIO.readTime(in, format, clock);
        c.balance = StateIO.readLong(in);
        c.balanceAt = StateIO.readTime(in, format, clock);
        CounterpartyFilter.read(in, c.counterparties);
        c.disbursed = StateIO.readLong(in);
        c.disbursedAt = StateIO.readTime(in, format, clock);
        c.paidToNewCounterparties = StateIO.readLong(in);
        return c;
    }
}
