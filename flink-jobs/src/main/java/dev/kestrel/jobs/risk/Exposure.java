package dev.kestrel.jobs.risk;

import dev.kestrel.jobs.indicator.IndicatorValues;
import dev.kestrel.contract.Indicator;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.CollateralValuation;
import dev.kestrel.events.Facility;
import dev.kestrel.events.FacilityType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What the borrower may draw and has drawn per facility, and the lending value of the collateral behind each.
 * Limits and the drawn baseline come with the profile; disbursements and repaid principal move the drawn amount
 * between profiles.
 */
final class Exposure {
    static final class Line {
        String facilityId;
        /** Whether the facility can be redrawn (see {@link #redrawable(FacilityType)}); null in state from before format 5. */
        Boolean redrawable;
        long limit;
        long drawn;
        /** The currency of the limit and drawn amount; null in state from before format 8, until the next profile. */
        String currency;
    }

    static final class Pledge {
        String collateralId;
        String facilityId;
        long lendingValue;
        long valuedAt;
        /** The currency of the lending value; null in state from before format 10 (taken to be its facility's). */
        String currency;
    }

    final List<Line> lines = new ArrayList<>();
    final List<Pledge> pledges = new ArrayList<>();
    long profileAt = Long.MIN_VALUE;
    /**
     * Whether a limit, drawn amount or collateral value changed since the borrower's last evaluation; never stored.
     * Such a change may move no indicator (a facility that is not the worst), yet the desk's per-facility figures are
     * the snapshot's, so it owes one.
     */
    transient boolean figuresMoved;

    void replaceFacilities(BorrowerProfile profile) {
        long at = profile.getEventTime().toEpochMilli();
        if (at < profileAt) {
            return; // an older profile arriving late must not undo a newer one
        }
        profileAt = at;
        figuresMoved = true;
        lines.clear();
        for (Facility facility : profile.getFacilities()) {
            Line line = new Line();
            line.facilityId = facility.getFacilityId();
            line.redrawable = redrawable(facility.getType());
            line.limit = facility.getLimitMinor();
            line.drawn = facility.getDrawnMinor();
            line.currency = facility.getCurrency();
            lines.add(line);
        }
    }

    /**
     * Lines the borrower draws, repays and draws again, whose headroom is what it has left for a bad month. A term or
     * project-finance loan is drawn once and repaid on a schedule: fully drawn is its normal state, and it is judged on
     * its repayments.
     */
    static boolean redrawable(FacilityType type) {
        return type == FacilityType.REVOLVING || type == FacilityType.WORKING_CAPITAL || type == FacilityType.TRADE_FINANCE;
    }

    void drawn(String facilityId, long change) {
        Line line = line(facilityId);
        if (line != null) {
            long drawn = Math.max(0, Math.addExact(line.drawn, change));
            figuresMoved |= drawn != line.drawn;
            line.drawn = drawn;
        }
    }

    void revalue(CollateralValuation valuation) {
        long at = valuation.getEventTime().toEpochMilli();
        Pledge pledge = null;
        for (Pledge existing : pledges) {
            if (existing.collateralId.equals(valuation.getCollateralId())) {
                pledge = existing;
            }
        }
        if (pledge == null) {
            pledge = new Pledge();
            pledge.collateralId = valuation.getCollateralId();
            pledges.add(pledge);
        } else if (at < pledge.valuedAt) {
            return;
        }
        figuresMoved = true;
        pledge.facilityId = valuation.getFacilityId();
        pledge.lendingValue = lendingValue(valuation.getValueMinor(), valuation.getHaircutBasisPoints());
        pledge.valuedAt = at;
        pledge.currency = valuation.getCurrency();
    }

    /**
     * The value after the haircut, rounded down, exactly: value x (10,000 - haircut) / 10,000 would overflow a long
     * for values above 9.2 x 10^14 minor units, well within what a valuation may state (docs/events.md).
     */
    static long lendingValue(long value, int haircutBasisPoints) {
        long kept = 10_000L - haircutBasisPoints;
        return value / 10_000L * kept + value % 10_000L * kept / 10_000L;
    }

    /** The profile's line for the facility, or null when the profile does not list it. */
    Line line(String facilityId) {
        for (Line line : lines) {
            if (line.facilityId.equals(facilityId)) {
                return line;
            }
        }
        return null;
    }

    /** The facilities behind a limit alert: those drawn above their limits, or the redrawable lines and their use. */
    void explainLimits(Indicator indicator, String fallbackCurrency, Evidence evidence) {
        for (Line line : lines) {
            boolean cited = indicator == Indicator.LIMIT_BREACH ? line.drawn > line.limit : Boolean.TRUE.equals(line.redrawable);
            if (cited) {
                String currency = line.currency != null ? line.currency : fallbackCurrency; // each line in its own
                evidence.add(line.facilityId + " drawn " + AlertEpisodes.money(line.drawn, currency) + " of a "
                        + AlertEpisodes.money(line.limit, currency) + " limit", null, null, 0);
            }
        }
    }

    /** The currency of a facility the profile lists, or null. */
    String currencyOf(String facilityId) {
        Line line = line(facilityId);
        return line == null ? null : line.currency;
    }

    /** Each line's currency (format 8 on), written after the rest of the borrower's state. */
    void writeCurrencies(DataOutputView out) throws IOException {
        for (Line line : lines) {
            StateIO.writeString(out, line.currency);
        }
    }

    void readCurrencies(DataInputView in, int format) throws IOException {
        if (format >= 8) {
            for (Line line : lines) {
                line.currency = StateIO.readString(in, format);
            }
        }
    }

    /** Each collateral item's currency (format 10 on), written last. */
    void writePledgeCurrencies(DataOutputView out) throws IOException {
        for (Pledge pledge : pledges) {
            StateIO.writeString(out, pledge.currency);
        }
    }

    void readPledgeCurrencies(DataInputView in, int format) throws IOException {
        if (format >= 10) {
            for (Pledge pledge : pledges) {
                pledge.currency = StateIO.readString(in, format);
            }
        }
    }

    /** The limits of every line, in the borrower's currency. */
    long totalLimit(Money money) {
        long total = 0;
        for (Line line : lines) {
            total = Math.addExact(total, money.inBorrowerCurrency(line.limit, line.currency));
        }
        return total;
    }

    /** The drawn amounts of every line, in the borrower's currency. */
    long totalDrawn(Money money) {
        long total = 0;
        for (Line line : lines) {
            total = Math.addExact(total, money.inBorrowerCurrency(line.drawn, line.currency));
        }
        return total;
    }

    /** The drawn amounts of every line, in the currency materiality is judged in. */
    long totalDrawnForMateriality(Money money) {
        long total = 0;
        for (Line line : lines) {
            total = Math.addExact(total, money.forMateriality(line.drawn, line.currency));
        }
        return total;
    }

    /**
     * Utilisation sums the redrawable lines in the borrower's currency; loan-to-value is per line, in its currency, the
     * collateral converted into it (a line whose collateral no rate converts has no ratio: unknown, not low).
     */
    void indicators(IndicatorValues out, long now, Money money) {
        if (profileAt == Long.MIN_VALUE) {
            return; // no profile yet: limits unknown
        }
        long limit = 0;
        long drawn = 0;
        boolean typesKnown = true;
        boolean breach = false;
        boolean secured = false;
        long worstLoanToValue = -1;
        long worstLoanToValueAt = now;
        for (Line line : lines) {
            if (line.redrawable == null) {
                typesKnown = false;
            } else if (line.redrawable) {
                limit = Math.addExact(limit, money.inBorrowerCurrency(line.limit, line.currency));
                drawn = Math.addExact(drawn, money.inBorrowerCurrency(line.drawn, line.currency));
            }
            breach |= line.drawn > line.limit;
            Cover cover = cover(line, money);
            secured |= cover.secured();
            Long loanToValue = loanToValue(line, cover);
            if (loanToValue != null && loanToValue > worstLoanToValue) {
                worstLoanToValue = loanToValue;
                worstLoanToValueAt = Math.max(cover.valuedAt(), profileAt);
            }
        }
        if (limit > 0) {
            out.set(Indicator.LIMIT_UTILISATION, Ratios.basisPoints(drawn, limit), now);
        } else if (typesKnown) {
            out.notApplicable(Indicator.LIMIT_UTILISATION, now); // nothing to redraw, so no headroom to run out of
        } // else unknown until the next profile says which facilities can be redrawn
        out.set(Indicator.LIMIT_BREACH, breach ? 1 : 0, now);
        if (worstLoanToValue >= 0) {
            out.set(Indicator.LOAN_TO_VALUE, worstLoanToValue, worstLoanToValueAt);
        } else if (!secured) {
            out.notApplicable(Indicator.LOAN_TO_VALUE, now); // no facility of the profile has collateral behind it
        } // else collateral valued at nothing: no ratio, and not a recovery
    }

    /** One line's drawn amount over its limit, in basis points; null without a limit. */
    static Long utilisation(Line line) {
        return line.limit > 0 ? Ratios.basisPoints(line.drawn, line.limit) : null;
    }

    /** One line's drawn amount over its collateral's lending value, in basis points; null without a value above 0. */
    static Long loanToValue(Line line, Cover cover) {
        return cover.valued() && cover.lendingValue() > 0 ? Ratios.basisPoints(line.drawn, cover.lendingValue()) : null;
    }

    /**
     * The collateral behind one line: whether anything is pledged to it, whether every item's value converts into the
     * line's currency, the lending values so converted, summed, and when the latest was valued.
     */
    record Cover(boolean secured, boolean valued, long lendingValue, long valuedAt) {
        /** The lending value for the desk: null when nothing is pledged, or an item's value does not convert. */
        Long shown() {
            return secured && valued ? lendingValue : null;
        }
    }

    Cover cover(Line line, Money money) {
        long lendingValue = 0;
        long valuedAt = Long.MIN_VALUE;
        boolean secured = false;
        boolean valued = true;
        for (Pledge pledge : pledges) {
            if (pledge.facilityId.equals(line.facilityId)) {
                secured = true;
                Long value = money.converted(pledge.lendingValue, pledge.currency, line.currency);
                valued &= value != null;
                lendingValue = value == null ? lendingValue : Math.addExact(lendingValue, value);
                valuedAt = Math.max(valuedAt, pledge.valuedAt);
            }
        }
        return new Cover(secured, valued, lendingValue, valuedAt);
    }

    void write(DataOutputView out, long clock) throws IOException {
        StateIO.writeTime(out, profileAt, clock);
        StateIO.writeInt(out, lines.size());
        for (Line line : lines) {
            StateIO.writeText(out, line.facilityId);
            out.writeByte(line.redrawable == null ? 0 : line.redrawable ? 2 : 1);
            StateIO.writeLong(out, line.limit);
            StateIO.writeLong(out, line.drawn);
        }
        StateIO.writeInt(out, pledges.size());
        for (Pledge pledge : pledges) {
            StateIO.writeText(out, pledge.collateralId);
            StateIO.writeText(out, pledge.facilityId);
            StateIO.writeLong(out, pledge.lendingValue);
            StateIO.writeTime(out, pledge.valuedAt, clock);
        }
    }

    static Exposure read(DataInputView in, int format, long clock) throws IOException {
        Exposure e = new Exposure();
        e.profileAt = StateIO.readTime(in, format, clock);
        for (int i = StateIO.readInt(in); i > 0; i--) {
            Line line = new Line();
            line.facilityId = StateIO.readText(in, format);
            if (format >= 5) {
                int redrawable = in.readUnsignedByte();
                line.redrawable = redrawable == 0 ? null : redrawable == 2;
            }
            line.limit = StateIO.readLong(in);
            line.drawn = StateIO.readLong(in);
            e.lines.add(line);
        }
        for (int i = StateIO.readInt(in); i > 0; i--) {
            Pledge pledge = new Pledge();
            pledge.collateralId = StateIO.readText(in, format);
            pledge.facilityId = StateIO.readText(in, format);
            pledge.lendingValue = StateIO.readLong(in);
            pledge.valuedAt = StateIO.readTime(in, format, clock);
            e.pledges.add(pledge);
        }
        return e;
    }
}
