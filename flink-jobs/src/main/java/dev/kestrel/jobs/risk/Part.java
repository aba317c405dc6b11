package dev.kestrel.jobs.risk;

import static dev.kestrel.contract.Indicator.*;

import dev.kestrel.contract.Indicator;
import java.util.function.Supplier;

/**
 * The parts of a borrower's state, each kept in keyed state of its own so that an event reads and writes only the parts
 * it touches: a transaction its account flows, not the repayment schedule or the statements. Each part sets its own
 * indicators; the borrower keeps the last values of all of them, so that the parts an event does not touch need not be
 * read to evaluate the rules (see {@link BorrowerState#indicators}).
 */
enum Part {
    /** Kept in the core ({@link #inCore}). */
    CASH(CashFlow::new, INFLOW_30D, OUTFLOW_30D, INFLOW_90D, OUTFLOW_90D, OUTFLOW_TO_INFLOW_30D, OUTFLOW_TO_INFLOW_90D,
            INFLOW_BASELINE_30D, INFLOW_DROP, OUTFLOW_SIZE_VS_USUAL, BALANCE, NEGATIVE_BALANCE, PROCEEDS_TO_NEW_COUNTERPARTIES),
    EXPOSURE(Exposure::new, LIMIT_UTILISATION, LIMIT_BREACH, LOAN_TO_VALUE),
    /** With the regulatory classification, which follows from the arrears alone (and the claims, past 90 days). */
    REPAYMENTS(Repayments::new, DAYS_PAST_DUE, OVERDUE_AMOUNT, MATERIAL_DAYS_PAST_DUE, SERVICING_ARREARS_MISMATCH,
            UPCOMING_INSTALMENT_SHORTFALL, IN_DEFAULT, IFRS9_STAGE, LOAN_CATEGORY, SMA_CLASS, REGULATORY_STEP, NON_PERFORMING_CLAIMS_SHARE),
    FINANCIALS(Financials::new, DEBT_TO_ASSETS, CURRENT_RATIO, REVENUE_CHANGE_YOY, NET_MARGIN, NET_LOSS, NEGATIVE_EQUITY,
            NEGATIVE_OPERATING_CASH_FLOW_PERIODS, STATEMENT_OVERDUE_DAYS),
    BUREAU(Bureau::new, RATING_DOWNGRADE_NOTCHES, OVERDUE_ELSEWHERE, LAWSUITS_365D, ENFORCEMENT_365D, GUARANTEE_CALLED_365D,
            TAX_ARREARS_365D, NEGATIVE_NEWS_90D),
    /** Its periodic reviews; their schedule also follows the watch grade, which the core keeps. */
    REVIEWS(Reviews::new, REVIEW_OVERDUE_DAYS),
    /** A project company's project (项目融资); never written for any other borrower. */
    PROJECT(ProjectFinance::new, HISTORIC_DSCR, PROJECTED_DSCR, LLCR, COVENANT_LEVEL, MILESTONE_SLIPPAGE_DAYS, COD_MARGIN_DAYS,
            CAPEX_OVERRUN, REVENUE_SHORTFALL, DSRA_FUNDING);

    static final Part[] ALL = values();
    /** Every part's bit. */
    static final int EVERY = (1 << ALL.length) - 1;

    final int bit = 1 << ordinal();
    /**
     * Kept inside the borrower's core rather than apart: most events are transactions, which read and write the cash
     * flow, and a part apart costs each of them a second RocksDB read and write (docs/benchmarks.md, ninth session).
     */
    final boolean inCore = ordinal() == 0;
    /** The indicators the part sets, as bits by ordinal. */
    final long indicators;
    private final Supplier<Object> empty;

    Part(Supplier<Object> empty, Indicator... indicators) {
        this.empty = empty;
        long mask = 0;
        for (Indicator indicator : indicators) {
            mask |= 1L << indicator.ordinal();
        }
        this.indicators = mask;
    }

    /** The part of a borrower the engine has not seen yet. */
    Object empty() {
        return empty.get();
    }
}
