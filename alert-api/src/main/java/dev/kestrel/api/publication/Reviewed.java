package dev.kestrel.api.publication;

import dev.kestrel.api.errors.ApiException;
import io.micronaut.http.HttpStatus;

/**
 * The checker's half of four eyes: they publish the version they read, named by its content hash, not merely a
 * version number. A proposal changed after they read it (by anyone, in the database or otherwise) is not signed.
 */
public final class Reviewed {
    private Reviewed() {}

    /** Passes when {@code reviewed} is the content hash of the stored version; otherwise a 400 or a 409 that says why. */
    public static void check(String reviewed, VersionTable.Row stored, String what) {
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
