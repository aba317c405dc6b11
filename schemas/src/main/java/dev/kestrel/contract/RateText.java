package dev.kestrel.contract;

import java.math.BigDecimal;

/** The rate of an {@code FxRate} as sent: an exact decimal above 0 with at most {@link #MAX_DIGITS} significant digits. */
public final class RateText {
    /** Twelve: a central bank's fixing has five or six; more is a float printed in full, not a rate anybody fixed. */
    public static final int MAX_DIGITS = 12;

    private RateText() {}

    /** The rate, or null when the text is not one; {@link #problem} says why. */
    public static BigDecimal parse(String text) {
        return problem(text) == null ? new BigDecimal(text).stripTrailingZeros() : null;
    }

    /** What is wrong with the text as a rate, naming the field and the value, or null. */
    public static String problem(String text) {
        if (text == null || !text.matches("[0-9]+(\\.[0-9]+)?")) {
            return "rate: expected an exact decimal above 0 such as \"7.8123\", got " + (text == null ? "null" : "\"" + text + "\"");
        }
        BigDecimal rate = new BigDecimal(text).stripTrailingZeros();
        if (rate.signum() <= 0) {
            return "rate must be above 0; got \"" + text + "\"";
        }
        if (rate.precision() > MAX_DIGITS) {
            return "rate: at most " + MAX_DIGITS + " significant digits; got \"" + text + "\" (" + rate.precision() + ")";
        }
        return null;
    }
}
