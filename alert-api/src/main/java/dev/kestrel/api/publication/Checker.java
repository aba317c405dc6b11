package dev.kestrel.api.publication;

import dev.kestrel.api.errors.ApiException;
import io.micronaut.http.HttpStatus;

/**
 * The checker's half of four eyes, the same for rules and scorecards: only a proposal is approved, never by the person
 * who proposed it, and only as the checker read it, named by its content hash rather than merely a version number. A
 * proposal changed after they read it (by anyone, in the database or otherwise) is not signed.
 */
public final class Checker {
    private Checker() {}

    /** Why {@code user} may not be the second person on the stored proposal (they proposed it), or null. */
    public static String fourEyes(VersionTable.Row stored, String user) {
        return stored.proposedBy().equals(user) ? "four eyes: " + user + " proposed it, so someone else must approve it" : null;
    }

    /** Passes when {@code user} may approve the stored version they reviewed; otherwise a 4xx that says why. */
    public static void mayApprove(VersionTable.Row stored, String user, String reviewed) {
        String what = stored.id() + " v" + stored.version();
        if (!stored.status().equals("PROPOSED")) {
            throw new ApiException(HttpStatus.CONFLICT, what + " is " + stored.status() + "; only a proposal can be published");
        }
        String fourEyes = fourEyes(stored, user);
        if (fourEyes != null) {
            throw new ApiException(HttpStatus.FORBIDDEN, fourEyes);
        }
        if (reviewed == null || reviewed.isBlank()) {
            throw ApiException.badRequest("reviewed: give the contentSha256 of the version you reviewed, as GET shows it, "
                    + "so that what is signed is what you read");
        }
        if (!reviewed.strip().equalsIgnoreCase(stored.contentSha256())) {
            throw new ApiException(HttpStatus.CONFLICT, what + " is not the version you reviewed: its content hash is "
                    + stored.contentSha256() + ", you reviewed " + reviewed.strip() + "; read it again before you publish it");
        }
    }
}
