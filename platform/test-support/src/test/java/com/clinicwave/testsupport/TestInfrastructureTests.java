package com.clinicwave.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

class TestInfrastructureTests {

    @Test
    void eachRequestGetsItsOwnEmptyPostgresDatabase() throws Exception {
        TestPostgres.Database first = TestPostgres.get().newDatabase("sample");
        TestPostgres.Database second = TestPostgres.get().newDatabase("sample");
        assertThat(first.name()).isNotEqualTo(second.name());
        try (Connection c = DriverManager.getConnection(first.jdbcUrl(), first.username(), first.password())) {
            c.createStatement().execute("create table only_in_first (id int)");
        }
        try (Connection c = DriverManager.getConnection(second.jdbcUrl(), second.username(), second.password());
             ResultSet rs = c.createStatement().executeQuery(
                     "select count(*) from information_schema.tables where table_name = 'only_in_first'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void redisIsARealServerWithManyKeySpaces() throws Exception {
        TestRedis redis = TestRedis.get();
        assertThat(redis.nextDatabase()).isNotEqualTo(redis.nextDatabase());
        try (Socket socket = new Socket(redis.host(), redis.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertThat(reply).isEqualTo("+PONG");
        }
    }

    @Test
    void kafkaBrokerIsReachable() {
        assertThat(TestKafka.get().bootstrapServers()).matches("[\\w.-]+:\\d+(,[\\w.-]+:\\d+)*");
    }

    @Test
    void jdbcUrlKeepsItsParametersWhenTheDatabaseIsReplaced() {
        assertThat(TestPostgres.replaceDatabase("jdbc:postgresql://h:5/postgres?user=a&x=1", "db1"))
                .isEqualTo("jdbc:postgresql://h:5/db1?user=a&x=1");
    }
}
