package dev.kestrel.api.collections;

/** What an officer records of a step done, or why it was not. */
public enum StepOutcome {
    /** The reminder or letter was delivered; for a formal demand, the borrower's signed receipt is on file. */
    SENT,
    /** The borrower was reached and acknowledged the arrears. */
    CONTACTED,
    /** The borrower promised to pay: the promised amount and date are recorded with it. */
    PROMISE_TO_PAY,
    /** The borrower says it paid; the engine's repayments, not this outcome, end the arrears. */
    PAID,
    /** Nobody answered. */
    NO_RESPONSE,
    /** The borrower disputes the amount or the claim. */
    DISPUTED,
    /** The borrower refused to pay. */
    REFUSED,
    /** Legal action was filed: a claim in court, or an application to enforce. Only for a LEGAL_ACTION step. */
    FILED,
    /** Not done, on a supervisor's decision with its reason (for example a restructuring under negotiation). */
    WAIVED
}
