package com.clinicwave.platform.web;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Recognises, in an exception's cause chain, failures that are not the caller's fault and not a bug: the database
 * did not answer in time (503 {@code DATABASE_UNAVAILABLE}), or the input held characters PostgreSQL cannot store
 * (400). By class name and SQLState, so that services without spring-jdbc do not need it.
 */
public final class FailureKinds {

    private static final Set<String> UNAVAILABLE_TYPES = Set.of(
            "org.springframework.jdbc.CannotGetJdbcConnectionException",
            "org.springframework.transaction.CannotCreateTransactionException",
            "org.springframework.transaction.TransactionTimedOutException",
            "org.springframework.dao.QueryTimeoutException",
            "com.zaxxer.hikari.pool.HikariPool$PoolInitializationException");

    private FailureKinds() {
    }

    /** The database could not be reached, gave no connection in time, or a statement timed out. */
    public static boolean isDatabaseUnavailable(Throwable ex) {
        boolean springTimeout = false;
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientException) {
                // SQLTransientConnectionException (pool acquire timeout), SQLTimeoutException.
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // 08: connection exception (incl. a socket timeout); 57014: statement timeout;
                // 53: insufficient resources (too many connections); 57P01..03: server shutting down.
                if (state.startsWith("08") || state.equals("57014") || state.startsWith("53")
                        || state.startsWith("57P")) {
                    return true;
                }
            }
            if (UNAVAILABLE_TYPES.contains(t.getClass().getName())) {
                springTimeout |= !t.getClass().getName().equals("org.springframework.dao.QueryTimeoutException")
                        || hasSqlCause(t);
            }
        }
        return springTimeout;
    }

    private static boolean hasSqlCause(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException) {
                return true;
            }
        }
        return false;
    }

    /** PostgreSQL refused a value: NUL in text (22021) or a character its encoding cannot hold (22P05). */
    public static boolean isUnstorableCharacter(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && ("22021".equals(sql.getSQLState())
                    || "22P05".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
