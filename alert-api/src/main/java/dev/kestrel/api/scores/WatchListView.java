package dev.kestrel.api.scores;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/** What the watch-list endpoints return: the engine's scores, as the feed stored them. */
public final class WatchListView {
    private WatchListView() {}

    /** Which borrowers, and where the page starts; an empty list filters nothing. */
    record Query(List<String> grades, List<String> segments, String industry, String region, String groupId, String owner,
                 String team, String cursor, int limit) {}

    /**
     * One borrower on the list: its score and the score before (the trend), PD, grade and since when, segment, the
     * internal rating and the one the score suggests, the score's top factors, its alerts the desk has not resolved,
     * and the officer and team responsible for it (null while none is set).
     */
    @Serdeable
    public record Entry(String borrowerId, String name, String industry, String region, String groupId, int score,
                        Integer previousScore, int pdBasisPoints, String grade, Instant gradeSince, String segment,
                        String internalRating, String suggestedRating, JsonNode topFactors, int openAlerts, String owner,
                        String team, String scorecard, Instant asOf) {}

    @Serdeable
    public record Page(List<Entry> items, String nextCursor) {}

    /** One change of a borrower's score, with every factor's bin and points. */
    @Serdeable
    public record ScorePoint(Instant eventTime, int score, int pdBasisPoints, String grade, String segment, Instant gradeSince,
                             String suggestedRating, String scorecard, JsonNode factors) {}
}
