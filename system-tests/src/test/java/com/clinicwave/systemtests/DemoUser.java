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

    /** Logs in through the gateway with the first-party login API and returns a fresh access token. */
    static String accessToken() {
        HttpResponse<String> login = SuiteSystemTest.postJson(SuiteSystemTest.GATEWAY + "/api/v1/auth/login",
                Map.of("username", USERNAME, "password", PASSWORD, "tenant", TENANT));
        assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
        return SuiteSystemTest.json(login).path("access_token").asString();
    }
}
