package dev.kestrel.jobs.fx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kestrel.events.FxRate;
import dev.kestrel.jobs.risk.Days;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The rate in force for an amount's day, both ways round and across the pivot, rounded once to the target's minor unit. */
class FxRatesTest {
    private final FxRates rates = new FxRates("EUR");

    @Test
    void convertsAtTheRateOfTheAmountsDayUntilANewerRate() {
        rates.add(rate("EUR", "CNY", "7.80", "2026-03-02T15:00:00Z"));
        rates.add(rate("EUR", "CNY", "8.00", "2026-03-04T15:00:00Z"));

        assertThat(rates.convert(100_00, "EUR", "CNY", day("2026-03-02"))).isEqualTo(780_00);
        assertThat(rates.convert(100_00, "EUR", "CNY", day("2026-03-03"))).isEqualTo(780_00);
        assertThat(rates.convert(100_00, "EUR", "CNY", day("2026-03-04"))).isEqualTo(800_00);
        assertThat(rates.converts("EUR", "CNY", day("2026-03-01"))).isFalse();
    }

    @Test
    void theRateForADayDoesNotDependOnTheOrderRatesArrivedIn() {
        FxRates other = new FxRates("EUR");
        FxRate early = rate("EUR", "USD", "1.08", "2026-03-02T10:00:00Z");
        FxRate late = rate("EUR", "USD", "1.09", "2026-03-02T16:00:00Z");
        rates.add(early);
        rates.add(late);
        other.add(late);
        assertThat(other.add(early)).as("an earlier fixing of the same day does not replace a later one").isNull();

        assertThat(rates.convert(1_000_00, "EUR", "USD", day("2026-03-02"))).isEqualTo(1_090_00)
                .isEqualTo(other.convert(1_000_00, "EUR", "USD", day("2026-03-02")));
    }

    @Test
    void aPairConvertsTheOtherWayRoundByDividing() {
        rates.add(rate("EUR", "USD", "1.0845", "2026-03-02T15:00:00Z"));

        // 500.00 USD / 1.0845 = 461.042... EUR
        assertThat(rates.convert(500_00, "USD", "EUR", day("2026-03-02"))).isEqualTo(461_04);
    }

    @Test
    void twoCurrenciesWithoutARateCrossThroughThePivot() {
        rates.add(rate("EUR", "USD", "1.25", "2026-03-02T15:00:00Z"));
        rates.add(rate("EUR", "CNY", "8.00", "2026-03-02T15:00:00Z"));

        // 100.00 USD = 80.00 EUR = 640.00 CNY, in one exact step
        assertThat(rates.convert(100_00, "USD", "CNY", day("2026-03-02"))).isEqualTo(640_00);
        assertThat(rates.convert(640_00, "CNY", "USD", day("2026-03-02"))).isEqualTo(100_00);
    }

    @Test
    void roundsHalfEvenToTheTargetsMinorUnit() {
        rates.add(rate("EUR", "JPY", "162.5", "2026-03-02T15:00:00Z"));
        rates.add(rate("EUR", "KWD", "0.3325", "2026-03-02T15:00:00Z"));

        assertThat(rates.convert(1, "EUR", "JPY", day("2026-03-02"))).as("0.01 EUR = 1.625 JPY").isEqualTo(2);
        assertThat(rates.convert(3, "EUR", "JPY", day("2026-03-02"))).as("0.03 EUR = 4.875 JPY").isEqualTo(5);
        assertThat(rates.convert(5, "JPY", "EUR", day("2026-03-02"))).as("5 JPY = 0.0307... EUR").isEqualTo(3);
        assertThat(rates.convert(100_00, "EUR", "KWD", day("2026-03-02"))).as("KWD has three decimals").isEqualTo(33_250);
        rates.add(rate("EUR", "GBP", "0.5", "2026-03-02T15:00:00Z"));
        assertThat(rates.convert(1, "EUR", "GBP", day("2026-03-02"))).as("0.005 to the even 0.00").isZero();
        assertThat(rates.convert(3, "EUR", "GBP", day("2026-03-02"))).as("0.015 to the even 0.02").isEqualTo(2);
    }

    @Test
    void aMissingRateNamesThePairTheDayAndThePivot() {
        rates.add(rate("EUR", "USD", "1.08", "2026-03-03T15:00:00Z"));

        assertThatThrownBy(() -> rates.convert(100, "USD", "CNY", day("2026-03-03")))
                .isInstanceOf(FxRates.MissingRate.class)
                .hasMessage("no FX rate converts USD into CNY on 2026-03-03 (no USD/CNY or CNY/USD rate of that day or "
                        + "before, nor both legs through EUR)");
        assertThatThrownBy(() -> rates.convert(100, "USD", "EUR", day("2026-03-02")))
                .hasMessage("no FX rate converts USD into EUR on 2026-03-02 (no USD/EUR or EUR/USD rate of that day or before)");
    }

    @Test
    void anAmountTooLargeForALongAfterConversionOverflowsLikeAnySum() {
        rates.add(rate("EUR", "IDR", "17500", "2026-03-02T15:00:00Z"));

        assertThatThrownBy(() -> rates.convert(Long.MAX_VALUE / 100, "EUR", "IDR", day("2026-03-02")))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void keepsABoundedHistoryPerPairAndSaysWhichDaysLeft() {
        LocalDate first = LocalDate.parse("2025-01-01");
        for (int i = 0; i < FxRates.HISTORY_PER_PAIR; i++) {
            assertThat(rates.add(rate("EUR", "USD", "1.1", first.plusDays(i) + "T15:00:00Z"))).isEmpty();
        }
        assertThat(rates.add(rate("EUR", "USD", "1.2", first.plusDays(FxRates.HISTORY_PER_PAIR) + "T15:00:00Z")))
                .containsExactly("EUR/USD@2025-01-01");
        assertThat(rates.converts("EUR", "USD", (int) first.toEpochDay())).isFalse();
        assertThat(rates.converts("EUR", "USD", (int) first.plusDays(1).toEpochDay())).isTrue();
    }

    static FxRate rate(String base, String quote, String rate, String at) {
        return FxRate.newBuilder().setEventId("FX-" + base + quote + "-" + at).setBaseCurrency(base).setQuoteCurrency(quote)
                .setRate(rate).setSource(null).setEventTime(Instant.parse(at)).build();
    }

    private static int day(String date) {
        return Days.of(Instant.parse(date + "T12:00:00Z").toEpochMilli());
    }
}
