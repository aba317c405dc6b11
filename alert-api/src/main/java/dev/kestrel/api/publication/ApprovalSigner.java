package dev.kestrel.api.publication;

import dev.kestrel.contract.ApprovalSignatures;
import dev.kestrel.events.BorrowerReview;
import dev.kestrel.events.LimitDecision;
import dev.kestrel.events.Rule;
import dev.kestrel.events.Scorecard;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;

/**
 * Signs each rule and scorecard version, and each limit decision, a checker approves, and each review an officer records, with the key whose public half the engine holds
 * (docs/events.md, "Signed rules and scorecards"). Created at start-up, so an API without a usable key refuses to
 * start rather than failing the first publication.
 */
@Context
public final class ApprovalSigner {
    private static final String HOW = "generate a pair with openssl genpkey -algorithm ed25519, give the private key as "
            + "KESTREL_SIGNING_PRIVATE_KEY and the public one to the engine's rules.signing-keys (docs/operations.md, \"Secrets\")";
    private final ApprovalSignatures.Signer signer;

    ApprovalSigner(@Value("${kestrel.signing.key-id:}") String keyId, @Value("${kestrel.signing.private-key:}") String privateKey) {
        if (privateKey.isBlank()) {
            throw new IllegalStateException("the alert API does not start: no key to sign approved rules and scorecards "
                    + "(kestrel.signing.private-key); " + HOW);
        }
        try {
            this.signer = new ApprovalSignatures.Signer(keyId, privateKey);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the alert API does not start: " + e.getMessage() + "; " + HOW, e);
        }
    }

    public Rule sign(Rule rule) {
        return signer.sign(rule);
    }

    public Scorecard sign(Scorecard card) {
        return signer.sign(card);
    }

    public LimitDecision sign(LimitDecision decision) {
        return signer.sign(decision);
    }

    public BorrowerReview sign(BorrowerReview review) {
        return signer.sign(review);
    }
}
