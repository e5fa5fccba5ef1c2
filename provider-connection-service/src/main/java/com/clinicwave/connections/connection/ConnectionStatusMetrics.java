package com.clinicwave.connections.connection;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** {@code connections_status{status}}: how many connections are in each state, counted at each scrape. */
@Component
class ConnectionStatusMetrics implements MeterBinder {

    static final List<String> STATUSES = List.of("pending", "active", "reauth_required", "revoked", "error");

    private final JdbcClient jdbc;

    ConnectionStatusMetrics(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String status : STATUSES) {
            Gauge.builder("connections.status", () -> count(status))
                    .description("Connections by status")
                    .tag("status", status)
                    .register(registry);
        }
    }

    private double count(String status) {
        try {
            Long n = jdbc.sql("select count(*) from connection where status = :status").param("status", status)
                    .query(Long.class).single();
            return n == null ? 0 : n;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
