package dev.kestrel.jobs.risk;

import dev.kestrel.jobs.fx.FxRates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A borrower's amounts as its indicators sum them, on one day: each in its own currency converted into the
 * borrower's currency (the first facility's), and for the materiality test into euro under the EU regime (CRR art.
 * 178(2)(d): the floor is EUR 500, and a national currency's equivalent is the euro amount converted). Without a rate
 * table (tests of one currency) amounts are taken as they are. A live event is applied only when every rate it needs
 * is known for its day ({@link BorrowerMoney#missingRate}); a rate missing later (a profile brought a new currency)
 * leaves the amount out of the sum, with a warning, rather than adding two currencies.
 */
final class Money {
    private static final Logger LOG = LoggerFactory.getLogger(Money.class);
    static final String EURO = "EUR";

    private final FxRates fx;
    final String borrowerCurrency;
    final String materialityCurrency;
    private final int day;
    /**
     * How many amounts were converted from one currency into another (or needed a rate): a sum that converted depends
     * on the rates in force, which a rate published later for the same day changes, so it is not kept between events.
     */
    private int conversions;

    Money(FxRates fx, String borrowerCurrency, String materialityCurrency, int day) {
        this.fx = fx;
        this.borrowerCurrency = borrowerCurrency;
        this.materialityCurrency = materialityCurrency;
        this.day = day;
    }

    /** Amounts as they are, whatever their currency: the engine before FX, and tests of one currency. */
    static Money unconverted(String currency) {
        return new Money(null, currency, currency, Days.NONE);
    }

    /** How many amounts have been converted (or failed to for want of a rate) so far. */
    int conversions() {
        return conversions;
    }

    /** The amount in the borrower's currency; {@code currency} null: the borrower's already. */
    long inBorrowerCurrency(long amount, String currency) {
        return into(amount, currency, borrowerCurrency);
    }

    /** The amount in the currency the materiality floor is in: euro under the EU regime, else the borrower's. */
    long forMateriality(long amount, String currency) {
        return into(amount, currency, materialityCurrency);
    }

    /** The amount in {@code target}; in a conversion the event's own, a missing rate throws {@link FxRates.MissingRate}. */
    long exactly(long amount, String currency, String target) {
        if (fx == null || currency == null || target == null || currency.equals(target)) {
            return amount;
        }
        conversions++;
        return fx.convert(amount, currency, target, day);
    }

    /** The amount in {@code target}, or null when no rate converts it on the day; either currency null: as it is. */
    Long converted(long amount, String currency, String target) {
        try {
            return exactly(amount, currency, target);
        } catch (FxRates.MissingRate missing) {
            return null;
        }
    }

    private long into(long amount, String currency, String target) {
        try {
            return exactly(amount, currency, target);
        } catch (FxRates.MissingRate missing) {
            LOG.warn("{} left out of a sum in {}: {}", currency, target, missing.getMessage());
            return 0;
        }
    }
}
