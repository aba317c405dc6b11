package dev.kestrel.simulator;

/** What happens to a borrower over the simulated period; the ground truth the backtest is scored against. */
public enum RiskPath {
    /** Seasonal business as usual, with the odd late payment and dip that any real book has. */
    HEALTHY,
    /** Receipts fall, then payments come late, then stop; the borrower defaults (90 days past due). */
    DETERIORATING,
    /** A drawdown is paid out at once to counterparties never seen before; then the path of DETERIORATING. */
    DIVERSION,
    /** A member of a group whose anchor defaults: its own receipts sag after the anchor's trouble, but it pays. */
    CONTAGION
}
