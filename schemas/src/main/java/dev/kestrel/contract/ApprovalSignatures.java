package dev.kestrel.contract;

import dev.kestrel.events.ApprovalSignature;
import dev.kestrel.events.BorrowerReview;
import dev.kestrel.events.LimitDecision;
import dev.kestrel.events.Rule;
import dev.kestrel.events.Scorecard;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Four-eyes approval made checkable by its reader: the API signs each rule and scorecard version it publishes after a
 * checker approved it, and the engine applies a version from its topic only when a configured public key verifies
 * the signature; whoever can merely write to the topic cannot make a rule take effect. Limit decisions are signed
 * the same way, for the bank's limit system to check.
 *
 * <p>What is signed: the record's single-object encoding (marker, writer-schema fingerprint, body) with the
 * {@code signature} field null, in the schema the record was written with. The verifier rebuilds those bytes from
 * the payload it received, so a signature stays valid whichever later contract version reads it, and a change to
 * any field, or to the schema it claims, breaks it. Ed25519, from the JDK.
 */
public final class ApprovalSignatures {
    static final String ALGORITHM = "Ed25519";
    private static final String SIGNATURE_FIELD = "signature";
    /** The records a signature approves; each has a nullable {@code signature} field. */
    private static final List<EventType> SIGNED = List.of(EventType.of(Rule.class), EventType.of(Scorecard.class),
            EventType.of(LimitDecision.class), EventType.of(BorrowerReview.class));

    private ApprovalSignatures() {}

    /** An Ed25519 key pair in the forms Kestrel is configured with: the API's private key and the engine's public one. */
    public record Keys(String keyId, String privateKey, String publicKey) {
        /** A pair drawn now, e.g. for one local run or one test JVM. */
        public static Keys generate(String keyId) {
            try {
                java.security.KeyPair pair = java.security.KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
                Base64.Encoder base64 = Base64.getEncoder();
                return new Keys(keyId, base64.encodeToString(pair.getPrivate().getEncoded()),
                        base64.encodeToString(pair.getPublic().getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JDK has no " + ALGORITHM, e);
            }
        }

        /** The engine's rules.signing-keys for this key alone. */
        public String engineKeys() {
            return keyId + "=" + publicKey;
        }
    }

    /** Signs with one private key; held by the API, which publishes approved versions. Thread-safe. */
    public static final class Signer {
        private final String keyId;
        private final PrivateKey key;

        /** @param privateKey a PKCS#8 Ed25519 private key, PEM or bare base64 (as {@code openssl genpkey -algorithm ed25519} writes it) */
        public Signer(String keyId, String privateKey) {
            if (keyId == null || keyId.isBlank()) {
                throw new IllegalArgumentException("the signing key needs an id, which the engine's rules.signing-keys names");
            }
            this.keyId = keyId;
            try {
                this.key = KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der(privateKey, "PRIVATE KEY")));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new IllegalArgumentException("the signing key " + keyId + " is not a PKCS#8 Ed25519 private key: " + e.getMessage(), e);
            }
        }

        /** The rule with its signature set (any earlier signature replaced). */
        public Rule sign(Rule rule) {
            rule.setSignature(null);
            rule.setSignature(signature(rule));
            return rule;
        }

        /** The scorecard with its signature set (any earlier signature replaced). */
        public Scorecard sign(Scorecard card) {
            card.setSignature(null);
            card.setSignature(signature(card));
            return card;
        }

        /** The limit decision with its signature set (any earlier signature replaced). */
        public LimitDecision sign(LimitDecision decision) {
            decision.setSignature(null);
            decision.setSignature(signature(decision));
            return decision;
        }

        /** The borrower review with its signature set (any earlier signature replaced). */
        public BorrowerReview sign(BorrowerReview review) {
            review.setSignature(null);
            review.setSignature(signature(review));
            return review;
        }

        private ApprovalSignature signature(SpecificRecordBase unsigned) {
            try {
                Signature ed25519 = Signature.getInstance(ALGORITHM);
                ed25519.initSign(key);
                ed25519.update(new WireCodec().encode(unsigned));
                return new ApprovalSignature(keyId, ByteBuffer.wrap(ed25519.sign()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot sign with key " + keyId, e);
            }
        }
    }

    /**
     * Checks signatures against the public keys the engine is configured with. Serializable, so an operator can hold
     * one; the keys are parsed once per instance after deserialisation. Not thread-safe: keep one per operator.
     */
    public static final class Verifier implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Map<String, String> encodedKeys;
        private transient Map<String, PublicKey> keys;
        private transient WireCodec codec;

        /**
         * @param keys {@code keyId=publicKey} pairs, comma-separated; each key an X.509 (SubjectPublicKeyInfo) Ed25519
         *             public key in bare base64 (the body of {@code openssl pkey -pubout}). Empty: nothing verifies.
         */
        public static Verifier of(String keys) {
            Map<String, String> parsed = new LinkedHashMap<>();
            if (keys != null && !keys.isBlank()) {
                for (String pair : keys.split(",")) {
                    int equals = pair.indexOf('=');
                    if (equals <= 0 || equals == pair.length() - 1) {
                        throw new IllegalArgumentException("a signing key is keyId=base64 public key, got '" + pair.strip() + "'");
                    }
                    String id = pair.substring(0, equals).strip();
                    if (parsed.put(id, pair.substring(equals + 1).strip()) != null) {
                        throw new IllegalArgumentException("signing key " + id + " is given twice");
                    }
                }
            }
            Verifier verifier = new Verifier(parsed);
            verifier.keys(); // a key that does not parse stops the start, not the first rule
            return verifier;
        }

        private Verifier(Map<String, String> encodedKeys) {
            this.encodedKeys = Map.copyOf(encodedKeys);
        }

        /** Whether any key is configured. */
        public boolean hasKeys() {
            return !encodedKeys.isEmpty();
        }

        /**
         * Null when the payload (a rule or scorecard as it arrived, single-object encoded) carries a signature one of
         * the keys verifies; otherwise why not, in words for the dead letter.
         */
        public String problem(byte[] payload) {
            if (payload == null || payload.length < WireCodec.HEADER_LENGTH || payload[0] == WireCodec.REGISTRY_MAGIC) {
                return "not a single-object encoded record: rules and scorecards are signed and sent in that encoding only";
            }
            if (codec == null) {
                codec = new WireCodec();
            }
            Schema writer = codec.writerSchema(payload);
            if (writer == null || SIGNED.stream().noneMatch(type -> type.name().equals(writer.getName()))) {
                return "not a released version of Rule, Scorecard or LimitDecision";
            }
            if (writer.getField(SIGNATURE_FIELD) == null) {
                return "unsigned: written with " + writer.getName() + " version " + version(writer)
                        + ", which has no signature; only versions the API published after approval take effect";
            }
            GenericRecord record;
            try {
                var decoder = DecoderFactory.get().binaryDecoder(payload, WireCodec.HEADER_LENGTH, payload.length - WireCodec.HEADER_LENGTH, null);
                record = new GenericDatumReader<GenericRecord>(writer).read(null, decoder);
            } catch (IOException | RuntimeException e) {
                return "cannot read the " + writer.getName() + " to check its signature: " + e.getMessage();
            }
            GenericRecord signature = (GenericRecord) record.get(SIGNATURE_FIELD);
            if (signature == null) {
                return "unsigned: no signature; only versions the API published after approval take effect";
            }
            String keyId = String.valueOf(signature.get("keyId"));
            PublicKey key = keys().get(keyId);
            if (key == null) {
                return "signed with key '" + keyId + "', which is not one of the engine's keys (rules.signing-keys: "
                        + (encodedKeys.isEmpty() ? "none configured" : String.join(", ", encodedKeys.keySet())) + ")";
            }
            ByteBuffer value = ((ByteBuffer) signature.get("value")).duplicate();
            byte[] signatureBytes = new byte[value.remaining()];
            value.get(signatureBytes);
            record.put(SIGNATURE_FIELD, null);
            try {
                Signature ed25519 = Signature.getInstance(ALGORITHM);
                ed25519.initVerify(key);
                ed25519.update(signedBytes(payload, writer, record));
                return ed25519.verify(signatureBytes) ? null
                        : "the signature by key '" + keyId + "' does not match the content: the record was changed after approval, or signed by another key";
            } catch (GeneralSecurityException e) {
                return "the signature by key '" + keyId + "' cannot be checked: " + e.getMessage();
            }
        }

        private Map<String, PublicKey> keys() {
            if (keys == null) {
                Map<String, PublicKey> parsed = new HashMap<>();
                encodedKeys.forEach((id, encoded) -> {
                    try {
                        parsed.put(id, KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der(encoded, "PUBLIC KEY"))));
                    } catch (GeneralSecurityException | IllegalArgumentException e) {
                        throw new IllegalArgumentException("signing key " + id + " is not an X.509 Ed25519 public key: " + e.getMessage(), e);
                    }
                });
                keys = parsed;
            }
            return keys;
        }

        private static String version(Schema writer) {
            List<Schema> released = ReleasedSchemas.of(writer.getName());
            int index = released.indexOf(writer);
            return index < 0 ? "(unreleased)" : Integer.toString(index + 1);
        }
    }

    /** The header of the payload as received, then the body with the signature null, in the writer's schema. */
    private static byte[] signedBytes(byte[] payload, Schema writer, GenericRecord unsigned) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length);
        out.write(payload, 0, WireCodec.HEADER_LENGTH);
        try {
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(writer, GenericData.get()).write(unsigned, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The DER bytes of a key given as PEM (with its BEGIN/END lines) or as bare base64. */
    private static byte[] der(String key, String pemLabel) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("no key given");
        }
        String body = key.replace("-----BEGIN " + pemLabel + "-----", "").replace("-----END " + pemLabel + "-----", "")
                .replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }
}
