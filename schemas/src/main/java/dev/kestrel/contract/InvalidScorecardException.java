package dev.kestrel.contract;

/** A scorecard that cannot score borrowers, with the reason risk staff need to fix it. */
public final class InvalidScorecardException extends Exception {
    public InvalidScorecardException(String message) {
        super(message);
    }
}
