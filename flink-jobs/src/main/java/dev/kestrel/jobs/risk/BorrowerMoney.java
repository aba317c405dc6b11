package dev.kestrel.jobs.risk;

import dev.kestrel.events.TransactionEvent;
import dev.kestrel.events.TransactionKind;
import dev.kestrel.jobs.fx.FxRates;
import dev.kestrel.jobs.ingest.BorrowerEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Which rates a borrower's live event needs, and the event's amounts in the currencies its state keeps them in. The
 * borrower's currency is that of the first facility of its profile, or {@code portfolio.currency} when it lists none.
 */
public final class BorrowerMoney {
    private BorrowerMoney() {}

    /**
     * Why the event cannot be applied yet for want of a rate, or null when every rate it needs is known for its day:
     * from its own currency, and from every currency the borrower's facilities and open instalments are in, into the
     * borrower's currency (and into euro under the EU regime, for materiality); for a drawdown, into its facility's;
     * for a project company's transaction, into the project's.
     * Rates stay in force until a newer one, so what converts on the event's day converts on the days after it.
     */
    public static String missingRate(BorrowerEvent event, BorrowerState state, FxRates fx, RiskSettings settings) {
        String borrower = state.borrowerCurrency();
        int day = Days.of(event.eventTimeMillis);
        List<String> currencies = new ArrayList<>(4);
        String own = event.transaction != null ? event.transaction.getCurrency()
                : event.repayment != null ? event.repayment.getCurrency() : null;
        if (own != null) {
            currencies.add(own);
        }
        for (String currency : state.lineCurrencies) {
            if (!currencies.contains(currency)) {
                currencies.add(currency);
            }
        }
        for (String currency : state.instalmentCurrencies) {
            if (!currencies.contains(currency)) {
                currencies.add(currency);
            }
        }
        boolean euro = settings.active(Regime.EU);
        for (String currency : currencies) {
            if (!fx.converts(currency, borrower, day)) {
                return fx.missing(currency, borrower, day);
            }
            if (euro && !fx.converts(currency, Money.EURO, day)) {
                return fx.missing(currency, Money.EURO, day);
            }
        }
        // A project company's receipts and reserve balances are kept in the project's currency.
        String project = event.transaction != null && state.hasProject() ? state.project().currency : null;
        if (project != null && !fx.converts(own, project, day)) {
            return fx.missing(own, project, day);
        }
        if (event.transaction != null && isDrawdown(event.transaction)) {
            String facility = state.exposure().currencyOf(event.transaction.getFacilityId());
            if (facility != null && !fx.converts(own, facility, day)) {
                return fx.missing(own, facility, day);
            }
        }
        return null;
    }

    static boolean isDrawdown(TransactionEvent t) {
        return t.getKind() == TransactionKind.DISBURSEMENT && t.getFacilityId() != null;
    }

    /** The transaction with its amount and balance in the borrower's currency, at the rate of its day; itself if already. */
    static TransactionEvent inBorrowerCurrency(TransactionEvent t, Money money) {
        if (money.borrowerCurrency == null || t.getCurrency().equals(money.borrowerCurrency)) {
            return t;
        }
        TransactionEvent converted = TransactionEvent.newBuilder(t)
                .setAmountMinor(money.exactly(t.getAmountMinor(), t.getCurrency(), money.borrowerCurrency))
                .setBalanceAfterMinor(t.getBalanceAfterMinor() == null ? null
                        : money.exactly(t.getBalanceAfterMinor(), t.getCurrency(), money.borrowerCurrency))
                .setCurrency(money.borrowerCurrency)
                .build();
        return converted;
    }
}
