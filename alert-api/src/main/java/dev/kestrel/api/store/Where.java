package dev.kestrel.api.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The WHERE clause of a list query, built from the filters a caller gave: each condition with its parameters, so the
 * values are always bound, never written into the SQL. Conditions combine with AND.
 */
public final class Where {
    private final StringBuilder sql = new StringBuilder(" WHERE true");
    private final List<Object> parameters = new ArrayList<>();

    /** {@code column} is one of the values ({@code = ANY} of one array parameter); nothing when there are none. */
    public Where in(String column, List<String> values) {
        if (!values.isEmpty()) {
            sql.append(" AND ").append(column).append(" = ANY (?)");
            parameters.add(values.toArray(String[]::new));
        }
        return this;
    }

    /** {@code column = value}; nothing when the value is null. */
    public Where equal(String column, Object value) {
        if (value != null) {
            sql.append(" AND ").append(column).append(" = ?");
            parameters.add(value);
        }
        return this;
    }

    /** Any condition, with its parameters in the order of its question marks. */
    public Where and(String condition, Object... values) {
        sql.append(" AND (").append(condition).append(')');
        parameters.addAll(List.of(values));
        return this;
    }

    /** The clause, to which the caller may append ORDER BY and LIMIT with {@link #parameter}. */
    public String sql() {
        return sql.toString();
    }

    public Where parameter(Object value) {
        parameters.add(value);
        return this;
    }

    /** Binds the parameters in order; a {@code String[]} goes as a text array. */
    public void bind(Connection connection, PreparedStatement statement) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            Object value = parameters.get(i);
            if (value instanceof String[] array) {
                statement.setArray(i + 1, connection.createArrayOf("text", array));
            } else {
                statement.setObject(i + 1, value);
            }
        }
    }
}
