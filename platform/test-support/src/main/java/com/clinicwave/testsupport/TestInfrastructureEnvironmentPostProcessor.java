package com.clinicwave.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Gives every Spring application context started in a test JVM real infrastructure of its own: a fresh PostgreSQL
 * database, a Redis logical database no other context uses, the JVM's Kafka broker and a consumer-group suffix of
 * its own. What a service gets follows the Boot modules on its classpath (JDBC + PostgreSQL driver, Data Redis, Kafka);
 * a resource server (one configured with a {@code jwk-set-uri}) trusts {@link TestJwts} instead of auth-service.
 * Turn off with {@code clinicwave.test.infrastructure.enabled=false}.
 */
public class TestInfrastructureEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String SOURCE = "clinicwave-test-infrastructure";
    private static final AtomicInteger CONTEXTS = new AtomicInteger();

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.getPropertySources().contains(SOURCE)
                || !environment.getProperty("clinicwave.test.infrastructure.enabled", Boolean.class, true)) {
            return;
        }
        ClassLoader cl = application.getClassLoader();
        String app = environment.getProperty("spring.application.name", "app");
        int context = CONTEXTS.incrementAndGet();
        Map<String, Object> props = new LinkedHashMap<>();
        if (present("org.postgresql.Driver", cl)
                && present("org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration", cl)
                && environment.getProperty("clinicwave.test.postgres.enabled", Boolean.class, true)) {
            TestPostgres.Database db = TestPostgres.get().newDatabase(app.replace('-', '_'));
            props.put("spring.datasource.url", db.jdbcUrl());
            props.put("spring.datasource.username", db.username());
            props.put("spring.datasource.password", db.password());
            props.put("spring.datasource.hikari.maximum-pool-size", "8");
        }
        if (present("org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration", cl)
                && environment.getProperty("clinicwave.test.redis.enabled", Boolean.class, true)) {
            TestRedis redis = TestRedis.get();
            props.put("spring.data.redis.host", redis.host());
            props.put("spring.data.redis.port", redis.port());
            props.put("spring.data.redis.database", redis.nextDatabase());
            props.put("spring.data.redis.password", "");
        }
        if (present("org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration", cl)
                && environment.getProperty("clinicwave.test.kafka.enabled", Boolean.class, true)) {
            props.put("spring.kafka.bootstrap-servers", TestKafka.get().bootstrapServers());
            props.put("clinicwave.kafka.group-suffix", "-test" + context);
            props.put("spring.kafka.consumer.auto-offset-reset", "earliest");
        }
        if (environment.containsProperty("clinicwave.security.jwt.jwk-set-uri")
                && environment.getProperty("clinicwave.test.jwt.enabled", Boolean.class, true)) {
            // Resource servers trust TestJwts' key instead of fetching auth-service's JWKS.
            props.put("clinicwave.security.jwt.jwk-set", TestJwts.jwkSetJson());
            props.put("clinicwave.security.jwt.issuer", TestJwts.ISSUER);
        }
        environment.getPropertySources().addFirst(new MapPropertySource(SOURCE, props));
    }

    private static boolean present(String className, ClassLoader cl) {
        return ClassUtils.isPresent(className, cl);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
