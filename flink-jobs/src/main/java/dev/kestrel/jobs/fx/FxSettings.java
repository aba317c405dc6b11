package dev.kestrel.jobs.fx;

import java.io.Serializable;
import java.time.Duration;

/**
 * How the engine converts money, from the engine configuration.
 *
 * @param pivot the currency two currencies with no rate of their own are crossed through (fx.pivot-currency)
 * @param ratesFile FxRate JSON lines loaded before anything on the rates topic (fx.rates-file), or empty
 * @param rateWait how long a live event whose amount has no rate for its day is held for one (fx.rate-wait)
 * @param portfolioCurrency the currency of a borrower whose profile lists no facility (portfolio.currency)
 */
public record FxSettings(String pivot, String ratesFile, Duration rateWait, String portfolioCurrency) implements Serializable {

    /** EUR pivot, no file, a day's wait, CNY: the configuration's defaults. */
    public static FxSettings defaults() {
        return new FxSettings("EUR", "", Duration.ofDays(1), "CNY");
    }
}
