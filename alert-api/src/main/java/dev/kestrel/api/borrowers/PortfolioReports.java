package dev.kestrel.api.borrowers;

import dev.kestrel.api.store.Sql;
import dev.kestrel.events.LoanCategory;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The book as a whole, from the engine's latest snapshots and their history: exposure by a dimension, and the
 * migration of classifications between two dates. Exposure is summed facility by facility, each in its own currency
 * (the profile's terms name it), and never converted; non-performing is what the engine marked non-performing, facility
 * by facility. A borrower whose latest snapshot has neither a limit nor anything drawn has left the book.
 */
@Singleton
public final class PortfolioReports {

    /** What exposure can be cut by, and the column that holds it. */
    public enum Dimension {
        INDUSTRY("b.industry"), REGION("b.region"), SEGMENT("b.customer_segment"), GRADE("w.grade"), CLASSIFICATION("s.loan_category");

        private final String column;

        Dimension(String column) {
            this.column = column;
        }
    }

    /**
     * One cut of the book in one currency: the borrowers with a facility in it, and those facilities' drawn amounts,
     * limits and drawn amounts the engine marked non-performing. A null {@code key} is "not known" (no profile, or no
     * score yet); a null currency, a facility the borrower's profile does not name.
     */
    @Serdeable
    public record ExposureRow(@Nullable String key, @Nullable String currency, int borrowers, long drawnMinor, long limitMinor,
                              long nonPerformingDrawnMinor, int inDefault) {
    }

    /**
     * The classification moves between the end of {@code from} and the end of {@code to} (UTC): for each category a
     * borrower was in then ({@code null}: not classified yet), how many are in each category now, or {@value #EXITED}
     * (nothing drawn and no limit: repaid, or written off and closed). A borrower that had already left by {@code from}
     * and is still out is not counted.
     */
    @Serdeable
    public record Migration(LocalDate from, LocalDate to, List<String> categories, List<MigrationRow> rows, int borrowers,
                            int downgraded, int upgraded, int unchanged) {
    }

    /** The column of borrowers that left the book between the two dates. */
    public static final String EXITED = "EXITED";

    @Serdeable
    public record MigrationRow(@Nullable String from, Map<String, Integer> to, int total) {
    }

    public List<ExposureRow> exposure(Connection connection, Dimension by) throws SQLException {
        String sql = "SELECT key, currency, count(DISTINCT borrower_id) AS borrowers, sum(drawn) AS drawn, sum(lim) AS limits,"
                + " sum(CASE WHEN non_performing THEN drawn ELSE 0 END) AS non_performing,"
                + " count(DISTINCT borrower_id) FILTER (WHERE in_default) AS in_default"
                + " FROM (SELECT " + by.column + " AS key, s.borrower_id, s.in_default,"
                + "   (f->>'drawnMinor')::bigint AS drawn, (f->>'limitMinor')::bigint AS lim,"
                + "   coalesce((f->>'nonPerforming')::boolean, false) AS non_performing,"
                + "   (SELECT t->>'currency' FROM jsonb_array_elements(b.facilities) t"
                + "    WHERE t->>'facilityId' = f->>'facilityId' LIMIT 1) AS currency"
                + "  FROM borrower_snapshot s CROSS JOIN LATERAL jsonb_array_elements(s.facilities) f"
                + "  LEFT JOIN borrower b ON b.borrower_id = s.borrower_id"
                + "  LEFT JOIN watch_list w ON w.borrower_id = s.borrower_id"
                + "  WHERE s.drawn_minor <> 0 OR s.limit_minor <> 0) facility"
                + " GROUP BY 1, 2 ORDER BY 2 NULLS LAST, 4 DESC, 1 NULLS LAST";
        List<ExposureRow> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(sql); ResultSet row = select.executeQuery()) {
            while (row.next()) {
                rows.add(new ExposureRow(row.getString("key"), row.getString("currency"), row.getInt("borrowers"),
                        row.getLong("drawn"), row.getLong("limits"), row.getLong("non_performing"), row.getInt("in_default")));
            }
        }
        return rows;
    }

    public Migration migration(Connection connection, LocalDate from, LocalDate to) throws SQLException {
        List<String> classes = Arrays.stream(LoanCategory.values()).map(Enum::name).toList();
        List<String> categories = new ArrayList<>(classes);
        categories.add(EXITED);
        // Each borrower's latest classified snapshot before each date's end, one index probe each.
        String sql = """
                SELECT f.category AS from_category, t.category AS to_category, count(*) AS borrowers
                FROM borrower_snapshot b
                CROSS JOIN LATERAL (SELECT CASE WHEN h.drawn_minor = 0 AND h.limit_minor = 0 THEN 'EXITED' ELSE h.loan_category END AS category
                                    FROM indicator_history h
                                    WHERE h.borrower_id = b.borrower_id AND h.as_of < ? AND h.loan_category IS NOT NULL
                                    ORDER BY h.as_of DESC LIMIT 1) t
                LEFT JOIN LATERAL (SELECT CASE WHEN h.drawn_minor = 0 AND h.limit_minor = 0 THEN 'EXITED' ELSE h.loan_category END AS category
                                   FROM indicator_history h
                                   WHERE h.borrower_id = b.borrower_id AND h.as_of < ? AND h.loan_category IS NOT NULL
                                   ORDER BY h.as_of DESC LIMIT 1) f ON true
                WHERE f.category IS DISTINCT FROM 'EXITED' OR t.category <> 'EXITED'
                GROUP BY 1, 2""";
        Map<String, Map<String, Integer>> cells = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            select.setTimestamp(1, Sql.timestamp(to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
            select.setTimestamp(2, Sql.timestamp(from.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    cells.computeIfAbsent(row.getString("from_category"), k -> new LinkedHashMap<>())
                            .merge(row.getString("to_category"), row.getInt("borrowers"), Integer::sum);
                }
            }
        }
        List<MigrationRow> rows = new ArrayList<>();
        int borrowers = 0;
        int downgraded = 0;
        int upgraded = 0;
        int unchanged = 0;
        List<String> order = new ArrayList<>(categories);
        order.add(null); // not classified at the first date: last
        for (String fromCategory : order) {
            Map<String, Integer> moved = cells.get(fromCategory);
            if (moved == null) {
                continue;
            }
            Map<String, Integer> counts = new LinkedHashMap<>();
            int total = 0;
            for (String toCategory : categories) {
                int count = moved.getOrDefault(toCategory, 0);
                counts.put(toCategory, count);
                total += count;
                if (fromCategory != null && classes.contains(fromCategory) && classes.contains(toCategory)) {
                    int step = classes.indexOf(toCategory) - classes.indexOf(fromCategory);
                    if (step > 0) {
                        downgraded += count;
                    } else if (step < 0) {
                        upgraded += count;
                    } else {
                        unchanged += count;
                    }
                }
            }
            borrowers += total;
            rows.add(new MigrationRow(fromCategory, counts, total));
        }
        return new Migration(from, to, categories, rows, borrowers, downgraded, upgraded, unchanged);
    }
}
