package dev.kestrel.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kestrel.events.ApprovalSignature;
import dev.kestrel.events.Rule;
import dev.kestrel.events.Scorecard;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * The attack the signature stops: someone who can write to the rules topic but did not go through the API's
 * four-eyes publication. Each case is a payload as it would arrive on the topic.
 */
class ApprovalSignaturesTest {
    private static final ApprovalSignatures.Keys DESK = ApprovalSignatures.Keys.generate("desk-2026");
    private static final ApprovalSignatures.Keys OTHER = ApprovalSignatures.Keys.generate("old");
    private final ApprovalSignatures.Signer signer = new ApprovalSignatures.Signer("desk-2026", DESK.privateKey());
    private final ApprovalSignatures.Verifier verifier = ApprovalSignatures.Verifier.of("desk-2026=" + DESK.publicKey());

    @Test
    void aRuleSignedByTheApiVerifies() {
        Rule rule = signer.sign(Samples.rule());

        assertThat(rule.getSignature().getKeyId()).isEqualTo("desk-2026");
        assertThat(rule.getSignature().getValue().remaining()).isEqualTo(64);
        assertThat(verifier.problem(new WireCodec().encode(rule))).isNull();
    }

    @Test
    void aScorecardSignedByTheApiVerifies() {
        Scorecard card = signer.sign(Samples.scorecard());

        assertThat(verifier.problem(new WireCodec().encode(card))).isNull();
    }

    @Test
    void aSignedRuleInASchemaRegistrysWireFormatIsRefusedForItsEncoding() {
        Rule rule = signer.sign(Samples.rule());

        assertThat(verifier.problem(new WireCodec().encodeRegistered(rule, 12)))
                .isEqualTo("not a single-object encoded record: rules and scorecards are signed and sent in that encoding only");
    }

    @Test
    void aLimitDecisionSignedByTheApiVerifiesAndAChangedOneDoesNot() {
        dev.kestrel.events.LimitDecision decision = signer.sign(Samples.limitDecision());

        assertThat(verifier.problem(new WireCodec().encode(decision))).isNull();
        decision.setLimitMinor(1L); // the amount changed after approval
        assertThat(verifier.problem(new WireCodec().encode(decision))).contains("does not match the content");
    }

    @Test
    void aRuleWithoutSignatureIsRefused() {
        assertThat(verifier.problem(new WireCodec().encode(Samples.rule())))
                .startsWith("unsigned: no signature");
    }

    @Test
    void aRuleChangedAfterApprovalIsRefused() {
        Rule rule = signer.sign(Samples.rule());
        rule.getCondition().getAnyOf().get(0).getAllOf().get(0).setThreshold(999_999L); // the threshold loosened after approval

        assertThat(verifier.problem(new WireCodec().encode(rule))).contains("does not match the content");
    }

    @Test
    void aSignatureMovedToAnotherRuleIsRefused() {
        Rule approved = signer.sign(Samples.rule());
        Rule other = Samples.rule();
        other.setSeverity(dev.kestrel.events.Severity.LOW);
        other.setSignature(approved.getSignature());

        assertThat(verifier.problem(new WireCodec().encode(other))).contains("does not match the content");
    }

    @Test
    void aRuleSignedWithAnUnknownKeyIsRefused() {
        Rule forged = new ApprovalSignatures.Signer("desk-2026", OTHER.privateKey()).sign(Samples.rule());
        Rule unknownId = new ApprovalSignatures.Signer("someone", OTHER.privateKey()).sign(Samples.rule());

        assertThat(verifier.problem(new WireCodec().encode(forged))).contains("does not match the content");
        assertThat(verifier.problem(new WireCodec().encode(unknownId)))
                .isEqualTo("signed with key 'someone', which is not one of the engine's keys (rules.signing-keys: desk-2026)");
    }

    @Test
    void aGarbageSignatureIsRefusedWithoutFailing() {
        Rule rule = Samples.rule();
        rule.setSignature(new ApprovalSignature("desk-2026", ByteBuffer.wrap(new byte[] {1, 2, 3})));

        assertThat(verifier.problem(new WireCodec().encode(rule)))
                .isEqualTo("the signature by key 'desk-2026' cannot be checked: incorrect length");
    }

    @Test
    void aRuleWrittenWithAVersionThatHasNoSignatureIsRefused() throws Exception {
        List<Schema> released = ReleasedSchemas.of("Rule");
        Schema version2 = released.get(1);

        assertThat(verifier.problem(encodeWith(version2, Samples.rule())))
                .startsWith("unsigned: written with Rule version 2, which has no signature");
    }

    @Test
    void withNoKeyConfiguredNothingVerifies() {
        ApprovalSignatures.Verifier none = ApprovalSignatures.Verifier.of("");

        assertThat(none.hasKeys()).isFalse();
        assertThat(none.problem(new WireCodec().encode(signer.sign(Samples.rule()))))
                .contains("rules.signing-keys: none configured");
    }

    @Test
    void keysInPemFormAreRead() {
        String pem = "-----BEGIN PRIVATE KEY-----\n" + DESK.privateKey() + "\n-----END PRIVATE KEY-----\n";
        ApprovalSignatures.Verifier pemVerifier = ApprovalSignatures.Verifier.of(
                "desk-2026=-----BEGIN PUBLIC KEY-----" + DESK.publicKey() + "-----END PUBLIC KEY-----, old=" + OTHER.publicKey());

        assertThat(pemVerifier.problem(new WireCodec().encode(new ApprovalSignatures.Signer("desk-2026", pem).sign(Samples.rule())))).isNull();
        assertThat(pemVerifier.problem(new WireCodec().encode(new ApprovalSignatures.Signer("old", OTHER.privateKey()).sign(Samples.rule())))).isNull();
    }

    @Test
    void aKeyThatDoesNotParseStopsTheStart() {
        assertThatThrownBy(() -> ApprovalSignatures.Verifier.of("desk=bm90IGEga2V5"))
                .hasMessageStartingWith("signing key desk is not an X.509 Ed25519 public key");
        assertThatThrownBy(() -> ApprovalSignatures.Verifier.of("no-equals-sign"))
                .hasMessageContaining("keyId=base64 public key");
        assertThatThrownBy(() -> new ApprovalSignatures.Signer("desk", "bm90IGEga2V5"))
                .hasMessageStartingWith("the signing key desk is not a PKCS#8 Ed25519 private key");
    }

    /** The single-object encoding a producer built against an older contract would send. */
    private static byte[] encodeWith(Schema writer, Rule rule) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xC3);
        out.write(0x01);
        long fingerprint = WireCodec.fingerprint(writer);
        for (int i = 0; i < 8; i++) {
            out.write((int) (fingerprint >>> (8 * i)));
        }
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<Rule>(writer, EventType.of(Rule.class).model()).write(rule, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
