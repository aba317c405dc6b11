package dev.kestrel.api.borrowers;

import dev.kestrel.api.errors.ApiException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** The borrower list: who the desk knows, found by name or id and filtered, in name order. */
public final class BorrowerList {
    private BorrowerList() {}

    /** The filters, combined with AND; a list filter holds any of its values. */
    public record Query(@Nullable String text, List<String> segments, List<String> ratings, List<String> grades,
                        List<String> classifications, @Nullable String industry, @Nullable String region,
                        @Nullable String groupId, @Nullable String owner, @Nullable String team, List<String> tags,
                        @Nullable String cursor, int limit) {
    }

    /**
     * One borrower: master data (segment, rating, industry, region, group), the engine's latest classification and
     * days past due, its watch grade and score, its owner, and its open alerts.
     */
    @Serdeable
    public record Entry(String borrowerId, String name, String segment, String internalRating, String industry, String region,
                        @Nullable String groupId, @Nullable String loanCategory, @Nullable Integer daysPastDue,
                        @Nullable String grade, @Nullable Integer score, @Nullable String owner, @Nullable String team,
                        int openAlerts) {
    }

    @Serdeable
    public record Page(List<Entry> items, @Nullable String nextCursor) {
    }

    /** Where a page ended: the last row's name and id, in a token the client passes back untouched. */
    record Cursor(String name, String borrowerId) {
        String encode() {
            String raw = borrowerId.length() + ":" + borrowerId + name;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String text) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
                int colon = raw.indexOf(':');
                int length = Integer.parseInt(raw.substring(0, colon));
                if (length < 1 || colon + 1 + length > raw.length()) {
                    throw new IllegalArgumentException("the id runs past the end");
                }
                return new Cursor(raw.substring(colon + 1 + length), raw.substring(colon + 1, colon + 1 + length));
            } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) { // bad Base64 and numbers included
                throw ApiException.badRequest("cursor is not one this API issued: " + e.getMessage());
            }
        }
    }
}
