package dev.kestrel.api.security;

import dev.kestrel.api.store.Database;
import dev.kestrel.api.store.Sql;
import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in sessions, so that access can be taken back before a token expires. Each login starts a session whose id the
 * token carries; logging out ends it, and disabling a user or changing their roles or password ends all of theirs.
 * Requests are checked against the ended sessions this instance holds in memory, refreshed from the database every
 * {@link #REFRESH}, so a session ended on any instance stops authenticating on every instance within seconds, and no
 * request waits for the database.
 */
@Singleton
public final class DeskSessions {
    /** How often the ended sessions are read again: the longest an ended session may still authenticate elsewhere. */
    public static final Duration REFRESH = Duration.ofSeconds(2);
    /** The claim that carries the session id. */
    public static final String CLAIM = "sid";
    private static final Logger LOG = LoggerFactory.getLogger(DeskSessions.class);

    private final Database database;
    private final Clock clock;
    private final Duration tokenLife;
    private volatile Set<String> ended = Set.of();
    /** Ended here since the last refresh: effective at once on this instance. */
    private final Set<String> endedHere = ConcurrentHashMap.newKeySet();

    DeskSessions(Database database, Clock clock,
                 @Value("${micronaut.security.token.generator.access-token.expiration:3600}") int tokenLifeSeconds) {
        this.database = database;
        this.clock = clock;
        this.tokenLife = Duration.ofSeconds(tokenLifeSeconds);
        refresh();
    }

    /** Starts a session, in the caller's transaction, for a user who just signed in; returns its id for the token. */
    String start(Connection connection, String username) throws SQLException {
        UUID id = UUID.randomUUID();
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO desk_session (session_id, username, started_at) VALUES (?, ?, ?)")) {
            insert.setObject(1, id);
            insert.setString(2, username);
            insert.setTimestamp(3, Sql.timestamp(clock.instant()));
            insert.executeUpdate();
        }
        return id.toString();
    }

    /** Whether a token's session may still authenticate: it has one, and it has not ended. */
    public boolean active(Object sessionId) {
        if (!(sessionId instanceof String id)) {
            return false; // a token without a session: issued before sessions, or not by this API
        }
        return !ended.contains(id) && !endedHere.contains(id);
    }

    /** Ends one session (a logout); true when it was open. */
    boolean end(String sessionId, String reason) {
        UUID id;
        try {
            id = UUID.fromString(sessionId);
        } catch (IllegalArgumentException notOurs) {
            return false;
        }
        endedHere.add(sessionId);
        return database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE desk_session SET ended_at = ?, end_reason = ? WHERE session_id = ? AND ended_at IS NULL")) {
                update.setTimestamp(1, Sql.timestamp(clock.instant()));
                update.setString(2, reason);
                update.setObject(3, id);
                return update.executeUpdate() == 1;
            }
        });
    }

    /** Ends every open session of a user, in the caller's transaction (a disabling, a role or password change). */
    void endAll(Connection connection, String username, String reason) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE desk_session SET ended_at = ?, end_reason = ? WHERE username = ? AND ended_at IS NULL
                RETURNING session_id""")) {
            update.setTimestamp(1, Sql.timestamp(clock.instant()));
            update.setString(2, reason);
            update.setString(3, username);
            try (ResultSet rows = update.executeQuery()) {
                while (rows.next()) {
                    endedHere.add(rows.getString(1)); // before the commit: a rolled-back change only ends them early here
                }
            }
        }
    }

    /**
     * Reads the sessions ended within a token's life (older ones' tokens have expired anyway), and prunes sessions
     * whose tokens can no longer be valid.
     */
    @Scheduled(fixedDelay = "2s", initialDelay = "2s")
    void refresh() {
        Instant now = clock.instant();
        try {
            Set<String> read = ConcurrentHashMap.newKeySet();
            database.inTransaction(connection -> {
                try (PreparedStatement select = connection.prepareStatement(
                        "SELECT session_id FROM desk_session WHERE ended_at IS NOT NULL AND started_at > ?")) {
                    select.setTimestamp(1, Sql.timestamp(now.minus(tokenLife)));
                    try (ResultSet rows = select.executeQuery()) {
                        while (rows.next()) {
                            read.add(rows.getString(1));
                        }
                    }
                }
                try (PreparedStatement prune = connection.prepareStatement("DELETE FROM desk_session WHERE started_at < ?")) {
                    prune.setTimestamp(1, Sql.timestamp(now.minus(tokenLife).minus(Duration.ofDays(1))));
                    prune.executeUpdate();
                }
                return null;
            });
            ended = Set.copyOf(read);
            endedHere.removeAll(read);
        } catch (RuntimeException e) {
            // The sessions known to have ended stay ended; newly ended ones elsewhere wait for the database.
            LOG.warn("cannot read ended sessions; keeping the {} known: {}", ended.size() + endedHere.size(), e.getMessage());
        }
    }
}
