package dev.kestrel.jobs.risk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.contract.EventValidator;
import org.junit.jupiter.api.Test;

/** Amounts up to the contract's bound (10^17 minor units) are computed exactly: no product or ratio wraps or rounds. */
class ExactSumsTest {
    private static final long BOUND = EventValidator.MAX_AMOUNT_MINOR;

    @Test
    void theLendingValueOfAValuationAtTheBoundIsExact() {
        assertThat(Exposure.lendingValue(BOUND, 2_500)).isEqualTo(75_000_000_000_000_000L);
        assertThat(Exposure.lendingValue(BOUND - 1, 2_500)).as("rounded down").isEqualTo(74_999_999_999_999_999L);
        assertThat(Exposure.lendingValue(12_345, 0)).isEqualTo(12_345);
    }

    @Test
    void ratiosOfAmountsBeyondALongTimesTenThousandAreExact() {
        assertThat(Ratios.basisPoints(BOUND, 3 * (BOUND / 10))).isEqualTo(33_333);
        assertThat(Ratios.basisPoints(BOUND + 1, BOUND)).as("one minor unit above is not yet a basis point").isEqualTo(10_000);
        assertThat(Ratios.basisPointsRoundedDown(-BOUND - 1, BOUND)).as("any loss is below -100%").isEqualTo(-10_001);
        assertThat(Ratios.basisPoints(Long.MAX_VALUE, 1)).as("saturates").isEqualTo(Long.MAX_VALUE);
    }
}
