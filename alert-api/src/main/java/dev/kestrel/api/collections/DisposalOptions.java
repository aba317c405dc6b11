package dev.kestrel.api.collections;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Locale;

/**
 * The four ways to dispose of a non-performing claim, each with the figures behind it and the conditions the rules set.
 * The desk proposes options, not a choice: which one the bank takes is a decision two people make on these figures, and
 * the figures are the engine's (exposure, arrears, classification, collateral lending value, cash flow, others' claims)
 * and the case's own (demands delivered, recoveries recorded).
 */
public final class DisposalOptions {
    private DisposalOptions() {}

    enum Kind { RESTRUCTURE, TRANSFER, LITIGATION, WRITE_OFF }

    /** One option: what it is, the figures that bear on it, and the conditions it must meet. */
    @Serdeable
    public record Option(String option, String title, List<String> figures, List<String> conditions) {
    }

    static List<Option> of(Disposals.Figures f) {
        String exposure = "Exposure " + amount(f.drawnMinor(), f.currency())
                + (f.overdueMinor() == null ? "" : ", of which " + amount(f.overdueMinor(), f.currency()) + " past due")
                + ", " + f.daysPastDue() + " days past due; " + f.loanCategory() + (f.inDefault() ? ", in default" : "") + ".";
        String collateral = f.collateralLendingValueMinor() == null
                ? "Collateral: the facilities are in more than one currency; see each facility's lending value."
                : "Collateral lending value " + amount(f.collateralLendingValueMinor(), f.currency()) + "; uncovered "
                  + amount(f.uncoveredMinor(), f.currency()) + ".";
        String recovered = (f.drawnFallSinceNonPerformingMinor() == null ? ""
                : "Drawn amount down " + amount(f.drawnFallSinceNonPerformingMinor(), f.currency())
                  + " since the engine classified the borrower non-performing; ")
                + "recovered through disposal so far " + amount(f.recoveredByDisposalMinor(), f.currency()) + ".";
        List<Option> options = new ArrayList<>();

        List<String> restructure = new ArrayList<>(List.of(exposure, recovered));
        restructure.add(cashFlow(f));
        options.add(new Option(Kind.RESTRUCTURE.name(), "Restructure (重组): new terms the borrower's cash flow can carry",
                restructure, List.of(
                        "A claim non-performing before it is restructured stays non-performing after it until an observation "
                        + "period passes with the new terms met: at least one year under EBA/GL/2016/07 para. 72, and the "
                        + "observation period of the 办法's rules on restructured assets (重组资产) under CN.",
                        "Restructuring is not a cure: the engine goes on classifying the borrower from its repayments.")));

        options.add(new Option(Kind.TRANSFER.name(), "Transfer or sell (转让) the claim, for example to an asset management company",
                List.of(exposure, collateral, recovered), List.of(
                        "A buyer prices the claim against what it can recover: the collateral's lending value above, the "
                        + "borrower's remaining means, and the time recovery takes.",
                        "Under CN, a batch transfer to an asset management company covers ten or more claims (财金〔2012〕6号); "
                        + "a single claim goes by the transfer rules then in force.")));

        List<String> litigation = new ArrayList<>(List.of(exposure, collateral));
        litigation.add(f.lastDemandOn() == null
                ? "Limitation: no demand delivered or claim filed on this case's ladder; the three-year period (PRC Civil "
                  + "Code art. 188) runs from when the bank knew of the default."
                : "Limitation: last demand delivered or claim filed on " + f.lastDemandOn() + "; the three-year period runs to "
                  + f.limitationRunsTo() + " unless interrupted again (PRC Civil Code arts. 188, 195).");
        litigation.add(othersClaims(f));
        options.add(new Option(Kind.LITIGATION.name(), "Sue and enforce (诉讼, 执行), the collateral first",
                litigation, List.of(
                        "Enforcement realises the collateral at auction, usually below its valuation and after months; the "
                        + "lending value is the valuation less the bank's haircut for that.",
                        "Other creditors' suits and enforcement compete for the same assets.")));

        options.add(new Option(Kind.WRITE_OFF.name(), "Write off (核销) what cannot be recovered",
                List.of(exposure, collateral, recovered,
                        f.uncoveredMinor() == null ? "Loss if written off: see each facility's uncovered amount."
                                : "Loss if written off today, before further recovery: " + amount(f.uncoveredMinor(), f.currency()) + "."),
                List.of("Under CN, a claim is written off only on the conditions of the 金融企业呆账核销管理办法 (财金〔2017〕90号), for "
                        + "example the borrower bankrupt or dissolved, or enforcement ended without recovery; the bank keeps its "
                        + "rights to recover after it (账销案存).",
                        "Writing off ends neither the case's recoveries nor their record: progress may be recorded after it.")));
        return options;
    }

    private static String cashFlow(Disposals.Figures f) {
        Long in = f.indicators().get("inflow30d");
        Long out = f.indicators().get("outflow30d");
        Long negative = f.indicators().get("negativeOperatingCashFlowPeriods");
        StringBuilder text = new StringBuilder("Cash flow: ");
        text.append(in == null || out == null ? "the engine sees no account flows of the borrower"
                : "in " + amount(in, f.currency()) + ", out " + amount(out, f.currency()) + " over the last 30 days");
        if (negative != null) {
            text.append("; ").append(negative).append(negative == 1 ? " statement" : " statements")
                    .append(" in a row with negative operating cash flow");
        }
        return text.append('.').toString();
    }

    private static String othersClaims(Disposals.Figures f) {
        Long suits = f.indicators().get("lawsuits365d");
        Long enforced = f.indicators().get("enforcement365d");
        Long elsewhere = f.indicators().get("overdueElsewhere");
        if (suits == null && enforced == null && elsewhere == null) {
            return "Other creditors: the engine has no bureau events of the borrower.";
        }
        return "Other creditors: " + (suits == null ? 0 : suits) + " lawsuits in 365 days"
                + (enforced != null && enforced == 1 ? ", a court enforced against its assets" : "")
                + (elsewhere != null && elsewhere > 0 ? ", " + amount(elsewhere, f.currency()) + " past due at other lenders" : "")
                + ".";
    }

    /** An amount in its currency's own minor units (no decimals for JPY, two for CNY). */
    static String amount(long minor, @Nullable String currency) {
        int digits = 2;
        if (currency != null) {
            try {
                digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
            } catch (IllegalArgumentException e) {
                digits = 2;
            }
        }
        String number = String.format(Locale.ROOT, "%,." + digits + "f", BigDecimal.valueOf(minor, digits));
        return currency == null ? number : currency + " " + number;
    }
}
