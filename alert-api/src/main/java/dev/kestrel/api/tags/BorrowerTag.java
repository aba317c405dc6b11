package dev.kestrel.api.tags;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** A tag on a borrower: who set it (a user, or {@code routing:<rule>}) and when. */
@Serdeable
public record BorrowerTag(String tag, String setBy, Instant setAt) {

    /**
     * Letters of any script (with their combining marks), digits, spaces, dots, dashes and underscores; 1 to 40,
     * starting with a letter or digit and not ending with a space.
     */
    public static final String PATTERN = "[\\p{L}\\p{N}](?:[\\p{L}\\p{M}\\p{N} ._-]{0,38}[\\p{L}\\p{M}\\p{N}._-])?";

    /** A tag and how many borrowers carry it, for the desk's filter. */
    @Serdeable
    public record Count(String tag, int borrowers) {
    }
}
