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
        boolean coverUnknown = f.facilities().stream().anyMatch(x -> x.secured() && x.collateralLendingValueMinor() == null);
        String collateral = f.collateralLendingValueMinor() != null
                ? "Collateral lending value " + amount(f.collateralLendingValueMinor(), f.currency()) + "; uncovered "
                  + amount(f.uncoveredMinor(), f.currency()) + "."
                : coverUnknown ? "Collateral: a pledged item's value has no FX rate into its facility's currency, so the cover is unknown."
                : "Collateral: the facilities are in more than one currency; see each facility's lending value.";
        String recovered = (f.drawnFallSinceNonPerformingMinor() == null ? ""
                : "Drawn amount down " + amount(f.drawnFallSinceNonPerformingMinor(), f.currency()) + " net since the borrower "
                  + "turned non-performing on " + f.nonPerformingFrom().toString().substring(0, 10) + " (repayments less new "
                  + "drawings, and any disposal the bank's books already show); ")
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
                        "Under CN, claims go to the buyers the transfer rules in force allow, such as asset management "
                        + "companies buying in batches under 财金〔2012〕6号 as since amended.")));

        List<String> litigation = new ArrayList<>(List.of(exposure, collateral));
        litigation.add(limitation(f));
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

    private static String limitation(Disposals.Figures f) {
        if (f.lastInterruption() == null) {
            return "Limitation: no demand delivered, written promise or claim filed on this case's ladder; the three-year "
                    + "period (PRC Civil Code art. 188) runs from when the bank knew of the default.";
        }
        if (f.lastInterruption().equals("CLAIM_FILED")) {
            return "Limitation: interrupted by the claim filed on " + f.lastInterruptionOn() + "; the period starts again when "
                    + "the proceedings end (PRC Civil Code art. 195), and enforcement of a judgment is applied for within two years.";
        }
        return "Limitation: interrupted on " + f.lastInterruptionOn() + " by "
                + (f.lastInterruption().equals("DEMAND") ? "a demand delivered" : "a written promise to pay")
                + "; the three-year period runs to " + f.limitationRunsTo() + " unless interrupted again (PRC Civil Code arts. "
                + "188, 195). Only the ladder's steps count here: a later demand made elsewhere makes the period longer.";
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
