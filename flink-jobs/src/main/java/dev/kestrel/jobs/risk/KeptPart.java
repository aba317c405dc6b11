package dev.kestrel.jobs.risk;

/**
 * One part of a borrower's state as it is kept ({@link Part}), with the borrower's clock when it was written: the
 * part's days and times are written relative to that clock, which keeps them small.
 */
record KeptPart(long clock, Object value) {}
