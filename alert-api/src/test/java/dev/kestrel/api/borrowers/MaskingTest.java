package dev.kestrel.api.borrowers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskingTest {
    @Test
    void masksKeepOnlyWhatIdentifiesTheRecordWithoutRevealingIt() {
        assertThat(Masking.creditCode("91310000MA1K4C1234")).isEqualTo("91310000****1234");
        assertThat(Masking.idNumber("310101198001011234")).isEqualTo("310101****1234");
        assertThat(Masking.phone("13812345678")).isEqualTo("138****5678");
        assertThat(Masking.personName("王磊")).isEqualTo("王*");
        assertThat(Masking.personName("欧阳娜娜")).isEqualTo("欧***");
        assertThat(Masking.personName("Wang Lei")).isEqualTo("W*******");
    }

    @Test
    void shortOrMissingValuesRevealNothing() {
        assertThat(Masking.phone("1234567")).isEqualTo("****");
        assertThat(Masking.creditCode("")).isEqualTo("****");
        assertThat(Masking.phone(null)).isNull();
        assertThat(Masking.personName(null)).isNull();
        assertThat(Masking.personName("李")).isEqualTo("李*");
    }
}
