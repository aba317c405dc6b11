package dev.kestrel.contract;

/** One approval key pair per test JVM, as the API (private half) and the engine (public half) would be given it. */
public final class TestSigningKeys {
    public static final String KEY_ID = "test-approvals";
    private static final ApprovalSignatures.Keys KEYS = ApprovalSignatures.Keys.generate(KEY_ID);
    /** The API's kestrel.signing.private-key. */
    public static final String PRIVATE_KEY = KEYS.privateKey();
    /** The engine's rules.signing-keys. */
    public static final String ENGINE_KEYS = KEYS.engineKeys();
    public static final ApprovalSignatures.Signer SIGNER = new ApprovalSignatures.Signer(KEY_ID, PRIVATE_KEY);

    private TestSigningKeys() {}

    public static ApprovalSignatures.Verifier verifier() {
        return ApprovalSignatures.Verifier.of(ENGINE_KEYS);
    }
}
