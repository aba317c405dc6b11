package dev.kestrel.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kestrel.events.CreditEvent;
import dev.kestrel.events.CreditEventKind;
import dev.kestrel.events.DeadLetterReason;
import dev.kestrel.events.Escalation;
import dev.kestrel.events.FinancialStatement;
import dev.kestrel.events.Rule;
import dev.kestrel.events.Severity;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

class JsonLinesTest {

    /** Samples.transaction() as a producer without Avro writes it: plain optionals, facilityId left out, an ISO instant. */
    private static final String PLAIN_TRANSACTION = """
            {"type":"TransactionEvent","eventId":"TX-20260302-000117","borrowerId":"B-1001","accountId":"ACC-1001-01",
             "direction":"DEBIT","kind":"TRANSFER","amountMinor":48500000,"currency":"CNY","channel":"ONLINE",
             "counterpartyId":"CP-7f3a9c","counterpartyName":"Huadong Steel Trading Co.","purpose":"raw material prepayment",
             "balanceAfterMinor":1250000,"eventTime":"2026-03-02T09:15:00Z"}""";

    /** Samples.repayment() with ISO dates, amountPaidMinor left to its default of 0. */
    private static final String PLAIN_REPAYMENT = """
            {"type":"RepaymentEvent","eventId":"RP-F-1001-A-07-MISSED","borrowerId":"B-1001","facilityId":"F-1001-A",
             "instalmentId":"07","kind":"MISSED","scheduleDate":"2025-09-01","dueDate":"2026-03-01",
             "amountDueMinor":12000000,"principalMinor":10000000,"currency":"CNY","eventTime":"2026-03-02T09:15:00Z"}""";

    /** Samples.borrowerProfile(), its time given in Shanghai's offset. */
    private static final String PLAIN_PROFILE = """
            {"type":"BorrowerProfile","borrowerId":"B-1001","name":"Jiangnan Precision Machinery Co., Ltd.",
             "unifiedSocialCreditCode":"91310000MA1K4C1234","legalRepresentativeName":"Wang Lei",
             "legalRepresentativeIdNumber":"310101198001011234","legalRepresentativePhone":"13812345678",
             "industry":"C","region":"CN-SH","groupId":"G-17","internalRating":"BBB+","segment":"MID_CORPORATE",
             "facilities":[{"facilityId":"F-1001-A","type":"TERM_LOAN","currency":"CNY","limitMinor":5000000000,
                            "drawnMinor":3200000000,"startDate":"2025-09-01","maturityDate":"2030-09-01"}],
             "eventTime":"2026-03-02T17:15:00+08:00"}""";

    /** A rule with only its required fields. */
    private static final String MINIMAL_RULE = """
            {"type":"Rule","ruleId":"REPAY-DPD-30","version":1,"scope":"BORROWER","category":"REPAYMENT","severity":"MEDIUM",
             "title":"Material arrears over 30 days","rationale":"IFRS 9 backstop.",
             "condition":{"anyOf":[{"allOf":[{"indicator":"materialDaysPastDue","comparison":"GT","threshold":30}]}]},
             "publishedAt":"2026-03-02T09:15:00Z"}""";

    @Test
    void readsAVersionOneStatementLineAndOneThatDeclaresAnAmountUnknown() {
        String v1 = "{\"type\":\"FinancialStatement\",\"statementId\":\"FS-1\",\"borrowerId\":\"B-1\",\"periodType\":\"YEAR\","
                + "\"periodStart\":\"2025-01-01\",\"periodEnd\":\"2025-12-31\",\"currency\":\"EUR\",\"totalAssetsMinor\":1000,"
                + "\"totalLiabilitiesMinor\":600,\"currentAssetsMinor\":300,\"currentLiabilitiesMinor\":200,\"revenueMinor\":800,"
                + "\"netProfitMinor\":-4,\"operatingCashFlowMinor\":60,\"eventTime\":\"2026-03-20T09:00:00Z\"}";

        FinancialStatement old = (FinancialStatement) JsonLines.read(v1).record();
        FinancialStatement spread = (FinancialStatement) JsonLines.read(v1.replace("\"totalLiabilitiesMinor\":600", "\"totalLiabilitiesMinor\":0")
                .replace("}", ",\"unknownAmounts\":[\"totalLiabilitiesMinor\"],\"totalEquityMinor\":-20,\"inventoriesMinor\":null}")).record();

        assertThat(old.getUnknownAmounts()).isEmpty();
        assertThat(old.getTotalEquityMinor()).isNull();
        assertThat(StatementAmounts.known(old, "totalLiabilitiesMinor")).isEqualTo(600L);
        assertThat(StatementAmounts.known(spread, "totalLiabilitiesMinor")).as("unknown, not 0").isNull();
        assertThat(spread.getTotalEquityMinor()).isEqualTo(-20L);
        assertThat(spread.getInventoriesMinor()).isNull();
    }

    @Test
    void roundTripsOneOfEveryRecord() {
        for (SpecificRecordBase record : Samples.oneOfEach()) {
            String line = JsonLines.write(record);

            assertThat(line).startsWith("{\"type\":\"" + record.getSchema().getName() + "\",").doesNotContain("\n");
            assertThat(JsonLines.read(line).record()).isEqualTo(record);
        }
    }

    @Test
    void writesAvrosJsonEncodingWithUnionsNamedByBranch() {
        String line = JsonLines.write(Samples.transaction());

        assertThat(line).contains("\"facilityId\":null", "\"counterpartyId\":{\"string\":\"CP-7f3a9c\"}",
                "\"amountMinor\":48500000", "\"eventTime\":1772442900000");
    }

    @Test
    void stillReadsAvrosUnionFormWithEpochNumbers() {
        String line = "{\"type\":\"CreditEvent\",\"eventId\":\"CE-1\",\"borrowerId\":\"B-1001\",\"kind\":\"LAWSUIT\","
                + "\"source\":\"court\",\"reference\":\"(2026)沪01民初123号\",\"previousRating\":null,\"newRating\":null,"
                + "\"amountMinor\":{\"long\":250000000},\"currency\":{\"string\":\"CNY\"},\"description\":null,"
                + "\"eventTime\":1772442900000}";

        CreditEvent event = (CreditEvent) JsonLines.read(line).record();

        assertThat(event.getKind()).isEqualTo(CreditEventKind.LAWSUIT);
        assertThat(event.getAmountMinor()).isEqualTo(250_000_000L);
        assertThat(event.getCurrency()).isEqualTo("CNY");
        assertThat(event.getPreviousRating()).isNull();
        assertThat(event.getEventTime()).isEqualTo(Samples.T0);
    }

    @Test
    void readsPlainValuesForOptionalFieldsAndAnOmittedOptionalAsNull() {
        assertThat(JsonLines.read(PLAIN_TRANSACTION).record()).isEqualTo(Samples.transaction());
    }

    @Test
    void readsIsoDatesIncludingAnOptionalOneAndAnOmittedFieldAsItsDefault() {
        assertThat(JsonLines.read(PLAIN_REPAYMENT).record()).isEqualTo(Samples.repayment());
    }

    @Test
    void readsANestedArrayOfRecordsAndAnInstantWithAnOffset() {
        assertThat(JsonLines.read(PLAIN_PROFILE).record()).isEqualTo(Samples.borrowerProfile());
    }

    @Test
    void fillsOmittedDefaultsAndOptionalsInNestedRecordsWithoutSharingThem() {
        Rule first = (Rule) JsonLines.read(MINIMAL_RULE).record();
        Rule second = (Rule) JsonLines.read(MINIMAL_RULE).record();

        assertThat(first.getEnabled()).isTrue();
        assertThat(first.getPublishedBy()).isNull();
        assertThat(first.getCondition().getAnyOf().get(0).getAllOf().get(0).getClearThreshold()).isNull();
        first.getEscalations().add(Escalation.newBuilder().setSeverity(Severity.HIGH)
                .setCondition(first.getCondition()).build());
        assertThat(second.getEscalations()).isEmpty();
    }

    @Test
    void namesTheFieldPathTheTypeAndTheValueOfEveryMismatch() {
        assertThat(rejection(PLAIN_PROFILE.replace("\"2030-09-01\"", "\"01/01/2025\"")))
                .isEqualTo("not a valid BorrowerProfile: facilities[0].maturityDate: expected a date (yyyy-mm-dd), got \"01/01/2025\"");
        assertThat(rejection(PLAIN_TRANSACTION.replace("48500000", "\"12.5\"")))
                .isEqualTo("not a valid TransactionEvent: amountMinor: expected a long integer, got \"12.5\"");
        assertThat(rejection(PLAIN_REPAYMENT.replace("\"MISSED\"", "\"LATE\"")))
                .isEqualTo("not a valid RepaymentEvent: kind: expected one of SCHEDULED, PAID, PARTIALLY_PAID, MISSED, OVERDUE, REVERSED, got \"LATE\"");
        assertThat(rejection(PLAIN_TRANSACTION.replace("\"2026-03-02T09:15:00Z\"", "\"2026-03-02T09:15:00\"")))
                .isEqualTo("not a valid TransactionEvent: eventTime: expected an instant (ISO-8601 with Z or an offset, e.g. 2026-03-02T09:15:00Z), got \"2026-03-02T09:15:00\"");
        assertThat(rejection(PLAIN_TRANSACTION.replace("\"CNY\"", "null")))
                .isEqualTo("not a valid TransactionEvent: currency: expected a string, got null");
    }

    @Test
    void rejectsAMissingRequiredField() {
        assertThat(rejection(PLAIN_REPAYMENT.replace("\"eventId\":\"RP-F-1001-A-07-MISSED\",", "")))
                .isEqualTo("not a valid RepaymentEvent: eventId: required field missing");
        assertThat(rejection(JsonLines.write(Samples.transaction()).replace("\"accountId\":\"ACC-1001-01\",", "")))
                .isEqualTo("not a valid TransactionEvent: accountId: required field missing");
    }

    @Test
    void rejectsAnUnknownFieldSoATypoIsNotSilentlyDropped() {
        assertThat(rejection(PLAIN_TRANSACTION.replace("{\"type\":\"TransactionEvent\",", "{\"type\":\"TransactionEvent\",\"foo\":1,")))
                .isEqualTo("not a valid TransactionEvent: unknown field \"foo\"");
        assertThat(rejection(PLAIN_PROFILE.replace("\"limitMinor\"", "\"limit\"")))
                .isEqualTo("not a valid BorrowerProfile: facilities[0]: unknown field \"limit\"");
    }

    @Test
    void rejectsIntegersOutOfRangeAndFractionsInsteadOfWrappingOrTruncating() {
        assertThat(rejection(MINIMAL_RULE.replace("\"version\":1", "\"version\":3000000000")))
                .isEqualTo("not a valid Rule: version: expected a 32-bit integer, got 3000000000");
        assertThat(rejection(PLAIN_TRANSACTION.replace("48500000", "9223372036854775808")))
                .isEqualTo("not a valid TransactionEvent: amountMinor: expected a long integer, got 9223372036854775808");
        assertThat(rejection(PLAIN_TRANSACTION.replace("48500000", "48500000.0")))
                .isEqualTo("not a valid TransactionEvent: amountMinor: expected a long integer, got 48500000.0");
        assertThat(rejection(PLAIN_TRANSACTION.replace("1250000", "12.5")))
                .isEqualTo("not a valid TransactionEvent: balanceAfterMinor: expected a long integer, got 12.5");
    }

    @Test
    void readsShapesTheContractDoesNotUseYetAndRequiresTheWrappedFormForAUnionOfSeveralTypes() throws Exception {
        Schema shapes = SchemaBuilder.record("Shapes").fields()
                .name("limits").type().map().values().longType().noDefault()
                .name("reference").type().unionOf().nullType().and().stringType().and().longType().endUnion().nullDefault()
                .name("ratio").type().doubleType().doubleDefault(0.5)
                .name("digest").type().fixed("Digest").size(2).noDefault()
                .endRecord();
        ObjectMapper json = new ObjectMapper();

        GenericRecord read = (GenericRecord) JsonLines.decode(shapes, GenericData.get(),
                json.readTree("{\"limits\":{\"CNY\":5},\"reference\":{\"long\":7},\"digest\":\"\\u00c3\\u0001\"}"));

        assertThat(read.get("limits")).isEqualTo(Map.of("CNY", 5L));
        assertThat(read.get("reference")).isEqualTo(7L);
        assertThat(read.get("ratio")).isEqualTo(0.5);
        assertThat(((GenericData.Fixed) read.get("digest")).bytes()).containsExactly(0xC3, 0x01);
        assertThatThrownBy(() -> JsonLines.decode(shapes, GenericData.get(), json.readTree("{\"limits\":{\"CNY\":\"5\"}}")))
                .hasMessage("limits[\"CNY\"]: expected a long integer, got \"5\"");
        assertThatThrownBy(() -> JsonLines.decode(shapes, GenericData.get(), json.readTree("{\"limits\":{},\"reference\":7}")))
                .hasMessage("reference: expected a value wrapped in its type ({\"string\": ...} or {\"long\": ...}),"
                        + " as the field holds several types, got 7");
    }

    @Test
    void rejectsAFieldWrittenTwiceInsteadOfKeepingTheLast() {
        assertThat(rejection(PLAIN_TRANSACTION.replace("{\"type\":\"TransactionEvent\",",
                "{\"type\":\"TransactionEvent\",\"amountMinor\":1,"))).startsWith("not JSON: Duplicate field 'amountMinor'");
    }

    @Test
    void rejectsALineThatIsNotJson() {
        Decoded decoded = JsonLines.read("{\"type\":\"TransactionEvent\",");

        assertThat(decoded.reasonCode()).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(decoded.reason()).startsWith("not JSON");
    }

    @Test
    void rejectsALineWithoutType() {
        assertThat(JsonLines.read("{\"eventId\":\"x\"}").reason()).isEqualTo("missing the \"type\" field naming the record");
    }

    @Test
    void rejectsAnUnknownType() {
        Decoded decoded = JsonLines.read("{\"type\":\"Payment\"}");

        assertThat(decoded.reasonCode()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
        assertThat(decoded.reason()).isEqualTo("unknown record type \"Payment\"");
    }

    @Test
    void noTopLevelRecordHasAFieldNamedTypeBecauseTheLineUsesIt() {
        for (EventType type : EventType.ALL) {
            assertThat(type.schema().getField("type")).as(type.name()).isNull();
        }
    }

    private static String rejection(String line) {
        Decoded decoded = JsonLines.read(line);
        assertThat(decoded.isRejected()).as(line).isTrue();
        assertThat(decoded.reasonCode()).isEqualTo(DeadLetterReason.UNDECODABLE);
        return decoded.reason();
    }
}
