package dev.kestrel.contract;

/** A rule that cannot be evaluated, with the reason risk staff need to fix it. */
public final class InvalidRuleException extends Exception {
    public InvalidRuleException(String message) {
        super(message);
    }
}
