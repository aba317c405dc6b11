package dev.kestrel.jobs.risk;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A body of regulation the bank reports under. Only the active regimes ({@code regulation.regimes}) classify a
 * borrower: their indicators are present, the others' are absent, so a rule on an inactive regime's indicator never
 * holds. What each regime says, paragraph by paragraph, is in docs/rules.md.
 */
public enum Regime {
    /** CRR art. 178 default with EBA/GL/2016/07 and Delegated Regulation (EU) 2018/171 materiality; IFRS 9 staging. */
    EU("EU"),
    /** 《商业银行金融资产风险分类办法》 (CBIRC/PBOC Order 2023 No. 1) five categories; CAS 22 staging. */
    CN("CN"),
    /** RBI special mention accounts and NPA (IRACP master circular, circular of 12 November 2021); Ind AS 109 staging. */
    IN("IN");

    private final String code;

    Regime(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /**
     * Reads a list such as {@code CN} or {@code EU,CN}; blanks and commas separate. At least one regime: a bank
     * reports under some regulation, and an empty set would silently turn every classification off.
     */
    public static Set<Regime> parse(String text) {
        EnumSet<Regime> regimes = EnumSet.noneOf(Regime.class);
        for (String part : text.trim().split("[,\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            try {
                regimes.add(Regime.valueOf(part.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException unknown) {
                throw new IllegalArgumentException("unknown regime '" + part + "': write EU, CN or IN");
            }
        }
        if (regimes.isEmpty()) {
            throw new IllegalArgumentException("name at least one regime: EU, CN or IN");
        }
        return regimes;
    }

    /** The set as written in configuration, e.g. {@code EU,CN}. */
    public static String text(Set<Regime> regimes) {
        return String.join(",", regimes.stream().map(Regime::code).toList());
    }
}
