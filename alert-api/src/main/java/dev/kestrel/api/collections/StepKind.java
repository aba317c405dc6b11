package dev.kestrel.api.collections;

/** The rungs of a collection ladder, mildest first as the default ladder orders them. */
public enum StepKind {
    /** A reminder: a letter, e-mail or message that a payment was missed. */
    REMINDER,
    /** A call to the borrower's finance director or owner. */
    CALL,
    /**
     * A formal demand (催收通知书) the borrower signs for: under the PRC Civil Code art. 195 a creditor's demand interrupts
     * the limitation period, so the signed receipt is kept.
     */
    FORMAL_LETTER,
    /** A lawyer's demand letter (律师函). */
    LAWYERS_LETTER,
    /** A claim filed in court, or enforcement of a notarised loan agreement or of the collateral. */
    LEGAL_ACTION
}
