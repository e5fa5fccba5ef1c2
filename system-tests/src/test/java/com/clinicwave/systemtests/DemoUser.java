package com.clinicwave.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

/** The local profile's demo patient ({@code demo} / {@code demo-password-1} in tenant {@code clinicwave}). */
final class DemoUser {

    static final String USERNAME = "demo";
    static final String PASSWORD = "demo-password-1";
    static final String TENANT = "clinicwave";

    private DemoUser() {
    }

    private static String shared;
    private static long sharedAt;

    /**
     * An access token of the demo user, shared by the tests that only need to be that user: logins are rate limited
     * per user (as they should be), so the suite logs in once every few minutes rather than once per test.
     */
    static synchronized String accessToken() {
        if (shared == null || System.nanoTime() - sharedAt > java.util.concurrent.TimeUnit.MINUTES.toNanos(5)) {
            shared = newSession();
            sharedAt = System.nanoTime();
        }
        return shared;
    }

    /** Logs in through the gateway with the first-party login API: a session of its own, for tests that end it. */
    static String newSession() {
        HttpResponse<String> login = SuiteSystemTest.postJson(SuiteSystemTest.GATEWAY + "/api/v1/auth/login",
                Map.of("username", USERNAME, "password", PASSWORD, "tenant", TENANT));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        return SuiteSystemTest.json(login).path("access_token").asString();
    }
}
