package dev.kestrel.jobs.rules;

/** A rule that cannot be evaluated, with the reason risk staff need to fix it. */
public final class InvalidRuleException extends Exception {
    public InvalidRuleException(String message) {
        super(message);
    }
}
