package dev.kestrel.jobs.risk;

import dev.kestrel.events.Direction;
import dev.kestrel.events.TransactionEvent;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What a project company's own accounts show the lender (项目收入账户, the project revenue account, and the debt-service
 * reserve account): the receipts on the revenue account by calendar month, to hold against the base case's revenue,
 * and each reserve account's latest balance, to hold against the debt service it must cover. An account counts from
 * the day after the record naming it: a transaction of that day may come before or after the record, and counting it
 * one way in one run and the other in the next would make the outcome depend on arrival order.
 */
final class ProjectAccounts {
    /** How many calendar months of receipts are kept: two back-to-back yearly periods and the months since. */
    static final int KEPT_MONTHS = 36;

    static final class Reserve {
        String accountId;
        /** The day its covenant first named it: its transactions count from the day after. */
        int namedDay;
        long balance;
        /** When the balance was reported; Long.MIN_VALUE while none is known. */
        long balanceAt = Long.MIN_VALUE;
        String eventId;

        boolean balanceKnown() {
            return balanceAt != Long.MIN_VALUE;
        }
    }

    String revenueAccountId;
    int revenueNamedDay = Days.NONE;
    /** The first month whose receipts are all kept: the month after the naming day's, or later once older months are dropped. */
    int revenueFromMonth;
    /** Receipts by month (epoch month: year * 12 + month - 1), in the project's currency. */
    final TreeMap<Integer, Long> revenueByMonth = new TreeMap<>();
    final List<Reserve> reserves = new ArrayList<>();

    static int month(int day) {
        LocalDate date = LocalDate.ofEpochDay(day);
        return date.getYear() * 12 + date.getMonthValue() - 1;
    }

    /** The project names its revenue account (null: none) on {@code day}: another account starts its receipts afresh. */
    void nameRevenueAccount(String accountId, int day) {
        if (accountId == null ? revenueAccountId == null : accountId.equals(revenueAccountId)) {
            return;
        }
        revenueAccountId = accountId;
        revenueNamedDay = accountId == null ? Days.NONE : day;
        revenueFromMonth = accountId == null ? 0 : month(day + 1);
        revenueByMonth.clear();
    }

    /** The covenants in force name these reserve accounts, each first on its day: others are dropped, new ones watched. */
    void nameReserves(Map<String, Integer> namedDays) {
        reserves.removeIf(r -> !namedDays.containsKey(r.accountId));
        for (Map.Entry<String, Integer> named : namedDays.entrySet()) {
            if (reserve(named.getKey()) == null) {
                Reserve r = new Reserve();
                r.accountId = named.getKey();
                r.namedDay = named.getValue();
                reserves.add(r);
            }
        }
    }

    /** No reserve counts a transaction of {@code day} or before: the project came that day. */
    void watchReservesFrom(int day) {
        for (Reserve r : reserves) {
            r.namedDay = Math.max(r.namedDay, day);
        }
    }

    Reserve reserve(String accountId) {
        for (Reserve r : reserves) {
            if (r.accountId.equals(accountId)) {
                return r;
            }
        }
        return null;
    }

    /**
     * Takes a transaction as a receipt on the revenue account, if it is one; says whether the receipts moved. A receipt
     * counts as revenue as the cash-flow indicators count it (not a loan's drawdown or repayment), and not when it comes
     * from a reserve account (the project's own money moving, not revenue); {@code amount} is in the project's currency
     * (null: no rate converts it on the day, and it is left out).
     */
    boolean receipt(TransactionEvent t, Long amount) {
        int day = Days.of(t.getEventTime().toEpochMilli());
        if (!t.getAccountId().equals(revenueAccountId) || day <= revenueNamedDay || t.getDirection() != Direction.CREDIT
                || !CashFlow.isOperating(t) || reserve(t.getCounterpartyId()) != null || amount == null) {
            return false;
        }
        int month = month(day);
        boolean moved = month >= revenueFromMonth;
        if (moved) {
            revenueByMonth.merge(month, amount, Math::addExact);
        }
        int oldest = month - KEPT_MONTHS + 1;
        if (oldest > revenueFromMonth) { // older months are dropped: a period reaching into them is no longer known whole
            revenueFromMonth = oldest;
            revenueByMonth.headMap(oldest).clear();
        }
        return moved;
    }

    /**
     * Takes the balance a transaction on a reserve account reports, if it is the latest; says whether it was taken.
     * {@code balance} is in the project's currency (null: none reported, or no rate converts it on the day).
     */
    boolean balance(TransactionEvent t, Long balance) {
        long at = t.getEventTime().toEpochMilli();
        Reserve r = reserve(t.getAccountId());
        if (r == null || Days.of(at) <= r.namedDay || balance == null || at < r.balanceAt) {
            return false;
        }
        r.balance = balance;
        r.balanceAt = at;
        r.eventId = t.getEventId();
        return true;
    }

    /** Whether the receipts of every month from {@code startDay}'s on are known: the account watched, the months kept. */
    boolean revenueKnown(int startDay) {
        return revenueAccountId != null && startDay > revenueNamedDay && month(startDay) >= revenueFromMonth;
    }

    /** The receipts of the calendar months from {@code startDay}'s to {@code endDay}'s. */
    long revenue(int startDay, int endDay) {
        long total = 0;
        for (long amount : revenueByMonth.subMap(month(startDay), true, month(endDay), true).values()) {
            total = Math.addExact(total, amount);
        }
        return total;
    }

    void write(DataOutputView out, int base, long clock) throws IOException {
        StateIO.writeString(out, revenueAccountId);
        if (revenueAccountId != null) {
            StateIO.writeDay(out, revenueNamedDay, base);
            StateIO.writeInt(out, revenueFromMonth);
            StateIO.writeInt(out, revenueByMonth.size());
            for (Map.Entry<Integer, Long> month : revenueByMonth.entrySet()) {
                StateIO.writeInt(out, month.getKey() - revenueFromMonth);
                StateIO.writeLong(out, month.getValue());
            }
        }
        StateIO.writeInt(out, reserves.size());
        for (Reserve r : reserves) {
            StateIO.writeText(out, r.accountId);
            StateIO.writeDay(out, r.namedDay, base);
            StateIO.writeTime(out, r.balanceAt, clock);
            if (r.balanceKnown()) {
                StateIO.writeLong(out, r.balance);
                StateIO.writeText(out, r.eventId);
            }
        }
    }

    /** Reads what {@link #write} wrote into this, as it is when new. */
    void read(DataInputView in, int layout, int base, long clock) throws IOException {
        revenueAccountId = StateIO.readString(in, layout);
        if (revenueAccountId != null) {
            revenueNamedDay = StateIO.readDay(in, base);
            revenueFromMonth = StateIO.readInt(in);
            for (int i = StateIO.readInt(in); i > 0; i--) {
                int month = revenueFromMonth + StateIO.readInt(in);
                revenueByMonth.put(month, StateIO.readLong(in));
            }
        }
        for (int i = StateIO.readInt(in); i > 0; i--) {
            Reserve r = new Reserve();
            r.accountId = StateIO.readText(in, layout);
            r.namedDay = StateIO.readDay(in, base);
            r.balanceAt = StateIO.readTime(in, layout, clock);
            if (r.balanceKnown()) {
                r.balance = StateIO.readLong(in);
                r.eventId = StateIO.readText(in, layout);
            }
            reserves.add(r);
        }
    }
}
