package com.clinicwave.platform;

import com.clinicwave.platform.web.ApiException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A minimal service using the starter, for the starter's own tests (without Spring Security's default chain). */
@SpringBootApplication(excludeName = {
    "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
})
public class PlatformTestApplication {

    record Order(@NotBlank String item, @Positive int quantity) {
    }

    record Note(@NotBlank String text) {
    }

    @RestController
    static class SampleController {

        private final JdbcClient jdbc;

        SampleController(JdbcClient jdbc) {
            this.jdbc = jdbc;
        }

        @GetMapping("/things/{id}")
        String thing(@PathVariable java.util.UUID id) {
            throw new ApiException(HttpStatus.NOT_FOUND, "THING_NOT_FOUND", "Thing not found");
        }

        @PostMapping("/orders")
        Order order(@Valid @RequestBody Order order) {
            return order;
        }

        @PostMapping("/notes")
        Note note(@Valid @RequestBody Note note) {
            jdbc.sql("insert into note (text) values (?)").param(note.text()).update();
            return note;
        }

        /** Stores a text/plain body as is: no JSON parsing stands between the caller and PostgreSQL. */
        @PostMapping(path = "/notes/raw", consumes = "text/plain")
        String rawNote(@RequestBody String text) {
            jdbc.sql("insert into note (text) values (?)").param(text).update();
            return "stored";
        }

        @GetMapping("/notes/count")
        long noteCount() {
            return jdbc.sql("select count(*) from note").query(Long.class).single();
        }

        @GetMapping("/patients/{patientId}/claims")
        String claims(@PathVariable String patientId) {
            return "[]";
        }

        @GetMapping("/boom")
        String boom() {
            throw new IllegalStateException("secret internal detail");
        }
    }
}
