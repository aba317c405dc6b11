package dev.kestrel.jobs.fx;

import dev.kestrel.contract.Currencies;
import dev.kestrel.contract.RateText;
import dev.kestrel.events.FxRate;
import dev.kestrel.jobs.risk.Days;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The exchange rates one task knows, per currency pair a bounded history of daily rates. A rate is the rate of the UTC
 * day of its eventTime and converts amounts dated on that day and later days, until a newer rate of the pair; so the
 * rate for an amount depends on the amount's day alone, never on the order rates arrived in, and a replay converts
 * as the live run did. A pair converts both ways; two currencies with no rate between them cross through the pivot.
 * Arithmetic is exact: the amount times the rate (or legs) is rounded once, half-even, to the minor unit of the target.
 */
public final class FxRates {
    /** Daily rates kept per pair: more than a year of business days, the longest an amount waits for its day's rate. */
    public static final int HISTORY_PER_PAIR = 400;

    /** One day's rate of a pair, and which record gave it: of two on one day, the later (then the larger id) wins. */
    record DayRate(BigDecimal rate, long at, String eventId) {
        boolean supersedes(DayRate other) {
            return at != other.at ? at > other.at : eventId.compareTo(other.eventId) > 0;
        }
    }

    /** A multiplier as an exact fraction: amount x numerator / denominator. */
    record Factor(BigDecimal numerator, BigDecimal denominator, int day) {
        static final Factor ONE = new Factor(BigDecimal.ONE, BigDecimal.ONE, Integer.MIN_VALUE);

        Factor times(Factor other) {
            return new Factor(numerator.multiply(other.numerator), denominator.multiply(other.denominator), Math.max(day, other.day));
        }

        Factor inverse() {
            return new Factor(denominator, numerator, day);
        }
    }

    /** No rate converts the amount on its day; the message names the pair, the day and what was looked for. */
    public static final class MissingRate extends RuntimeException {
        public MissingRate(String message) {
            super(message, null, false, false);
        }
    }

    private final String pivot;
    private final Map<String, TreeMap<Integer, DayRate>> byPair = new HashMap<>();

    public FxRates(String pivot) {
        this.pivot = pivot;
    }

    /** The key a rate is kept under in broadcast state: its pair and its day, e.g. {@code EUR/CNY@2026-03-02}. */
    public static String key(FxRate rate) {
        return pair(rate.getBaseCurrency(), rate.getQuoteCurrency()) + "@" + LocalDate.ofEpochDay(day(rate));
    }

    /**
     * Takes the rate in, unless a rate of the same pair and day supersedes it; returns the keys (see {@link #key}) of
     * the rates this one replaced or pushed out of the pair's history, empty when it took effect and nothing left, or
     * null when it did not take effect.
     */
    public List<String> add(FxRate rate) {
        BigDecimal value = RateText.parse(rate.getRate());
        if (value == null) {
            return null; // the validator refuses it before; this guards against a bypass
        }
        String pair = pair(rate.getBaseCurrency(), rate.getQuoteCurrency());
        TreeMap<Integer, DayRate> history = byPair.computeIfAbsent(pair, p -> new TreeMap<>());
        int day = day(rate);
        DayRate incoming = new DayRate(value, rate.getEventTime().toEpochMilli(), rate.getEventId());
        DayRate existing = history.get(day);
        if (existing != null && !incoming.supersedes(existing)) {
            return null;
        }
        history.put(day, incoming);
        List<String> gone = new ArrayList<>();
        while (history.size() > HISTORY_PER_PAIR) {
            gone.add(pair + "@" + LocalDate.ofEpochDay(history.pollFirstEntry().getKey()));
        }
        return gone;
    }

    /** Whether an amount in {@code from} dated on {@code day} converts into {@code to}. */
    public boolean converts(String from, String to, int day) {
        return factor(from, to, day) != null;
    }

    /**
     * The amount, in minor units of {@code from}, in minor units of {@code to} at the rate in force on {@code day},
     * rounded half-even.
     *
     * @throws MissingRate when no rate is in force for the day
     * @throws ArithmeticException when the result does not fit a long
     */
    public long convert(long amountMinor, String from, String to, int day) {
        if (from.equals(to) || amountMinor == 0) {
            return amountMinor;
        }
        Factor factor = factor(from, to, day);
        if (factor == null) {
            throw new MissingRate(missing(from, to, day));
        }
        BigDecimal scaled = BigDecimal.valueOf(amountMinor).multiply(factor.numerator())
                .scaleByPowerOfTen(Currencies.minorUnits(to) - Currencies.minorUnits(from));
        return scaled.divide(factor.denominator(), 0, RoundingMode.HALF_EVEN).longValueExact();
    }

    /** Why nothing converts {@code from} into {@code to} on {@code day}, for a dead letter or a log line. */
    public String missing(String from, String to, int day) {
        String through = from.equals(pivot) || to.equals(pivot) ? "" : ", nor both legs through " + pivot;
        return "no FX rate converts " + from + " into " + to + " on " + LocalDate.ofEpochDay(day) + " (no " + pair(from, to)
                + " or " + pair(to, from) + " rate of that day or before" + through + ")";
    }

    /** The exact multiplier from one currency to another on the day, or null: direct, inverse, or across the pivot. */
    Factor factor(String from, String to, int day) {
        if (from.equals(to)) {
            return Factor.ONE;
        }
        Factor direct = leg(from, to, day);
        if (direct != null || from.equals(pivot) || to.equals(pivot)) {
            return direct;
        }
        Factor in = leg(from, pivot, day);
        Factor out = in == null ? null : leg(pivot, to, day);
        return out == null ? null : in.times(out);
    }

    /** The pair's own rate either way round; the one fixed on the later day when both are published, else direct. */
    private Factor leg(String from, String to, int day) {
        Factor direct = inForce(pair(from, to), day);
        Factor inverse = inForce(pair(to, from), day);
        if (inverse == null) {
            return direct;
        }
        inverse = inverse.inverse();
        return direct == null || inverse.day() > direct.day() ? inverse : direct;
    }

    private Factor inForce(String pair, int day) {
        TreeMap<Integer, DayRate> history = byPair.get(pair);
        Map.Entry<Integer, DayRate> entry = history == null ? null : history.floorEntry(day);
        return entry == null ? null : new Factor(entry.getValue().rate(), BigDecimal.ONE, entry.getKey());
    }

    private static String pair(String base, String quote) {
        return base + "/" + quote;
    }

    private static int day(FxRate rate) {
        return Days.of(rate.getEventTime().toEpochMilli());
    }
}
