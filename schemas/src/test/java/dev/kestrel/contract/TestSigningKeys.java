package dev.kestrel.contract;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** One approval key pair per test JVM, as the API (private half) and the engine (public half) would be given it. */
public final class TestSigningKeys {
    public static final String KEY_ID = "test-approvals";
    private static final KeyPair PAIR = generate();
    /** The API's kestrel.signing.private-key. */
    public static final String PRIVATE_KEY = Base64.getEncoder().encodeToString(PAIR.getPrivate().getEncoded());
    /** The engine's rules.signing-keys. */
    public static final String ENGINE_KEYS = KEY_ID + "=" + Base64.getEncoder().encodeToString(PAIR.getPublic().getEncoded());
    public static final ApprovalSignatures.Signer SIGNER = new ApprovalSignatures.Signer(KEY_ID, PRIVATE_KEY);

    private TestSigningKeys() {}

    public static ApprovalSignatures.Verifier verifier() {
        return ApprovalSignatures.Verifier.of(ENGINE_KEYS);
    }

    private static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
