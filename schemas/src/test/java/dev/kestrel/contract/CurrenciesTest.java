package dev.kestrel.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Currency;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Keeps currencies.txt honest against what the JDK knows of ISO 4217. */
class CurrenciesTest {
    @Test
    void acceptsTheCurrenciesLoansAreBookedIn() {
        assertThat(Currencies.active()).containsKeys("EUR", "CNY", "INR", "USD", "JPY", "GBP", "HKD");
        assertThat(Currencies.active()).doesNotContainKeys("XXX", "XTS", "XAU", "DEM");
    }

    @Test
    void accountsForEveryCodeJavaKnowsAsActiveOrRefusedWithAReason() {
        // A newer JDK that knows a code this list does not fails here: look the code up in ISO 4217's amendments
        // and add it to currencies.txt, under [active] or under [refused] with the reason.
        Set<String> unaccounted = new TreeSet<>();
        for (Currency currency : Currency.getAvailableCurrencies()) {
            String code = currency.getCurrencyCode();
            if (!Currencies.active().containsKey(code) && !Currencies.refused().containsKey(code)) {
                unaccounted.add(code);
            }
        }
        assertThat(unaccounted).isEmpty();
        assertThat(Currencies.active().keySet()).doesNotContainAnyElementsOf(Currencies.refused().keySet());
    }

    @Test
    void givesEveryActiveCurrencyTheMinorUnitsJavaUsesToFormatIt() {
        // Alert texts format amounts with Java's fraction digits; the two must agree on what a minor unit is.
        Currencies.active().forEach((code, minorUnits) ->
                assertThat(Currency.getInstance(code).getDefaultFractionDigits()).as(code).isEqualTo(minorUnits));
    }
}
