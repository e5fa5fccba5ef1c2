package com.clinicwave.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The outbox tables ship from the starter as the Flyway location {@code classpath:db/clinicwave-outbox}. Databases
 * created before (auth-service, provider-connection-service, claims-service had the same file as their own
 * {@code db/migration/V1__create_event_outbox.sql}) recorded version 1 with this script name and checksum: the shipped
 * file must keep all three, or those databases would fail Flyway's validation at their next start.
 */
@SpringBootTest(classes = PlatformTestApplication.class, properties = {
    "spring.sql.init.mode=always",
    "clinicwave.outbox.poll-interval=1h"
})
class OutboxMigrationTests {

    /** What {@code flyway_schema_history} holds for V1 in every existing database (checksum of the original file). */
    static final int APPLIED_CHECKSUM = 2122843374;

    @Autowired
    DataSource dataSource;

    @Test
    void theShippedMigrationIsTheOneExistingDatabasesApplied() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Map<String, Object> v1 = jdbc.queryForMap(
                "select version, description, script, checksum, success from flyway_schema_history where version = '1'");
        assertThat(v1).containsEntry("description", "create event outbox")
                .containsEntry("script", "V1__create_event_outbox.sql")
                .containsEntry("checksum", APPLIED_CHECKSUM)
                .containsEntry("success", true);
        assertThat(jdbc.queryForObject("select count(*) from event_outbox", Integer.class)).isNotNull();
        assertThat(jdbc.queryForObject("select count(*) from processed_event", Integer.class)).isNotNull();

        // A service's own migrations next to it (what auth-service, provider-connection-service and claims-service
        // configure): the history validates, nothing pending.
        Flyway service = Flyway.configure().dataSource(dataSource).locations("classpath:db/clinicwave-outbox")
                .load();
        assertThat(service.validateWithResult().validationSuccessful).isTrue();
        assertThat(service.info().pending()).isEmpty();
    }
}
