package bench;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The stock setup the issue compares against: Spring Cloud Gateway plus Spring Boot's resource-server auto-configuration
 * ({@code spring.security.oauth2.resourceserver.jwt.jwk-set-uri}): every request authenticated by the default
 * security chain, its RS256 signature verified on every request (no verdict cache).
 */
@SpringBootApplication
public class StockResourceServerGateway {

    public static void main(String[] args) {
        SpringApplication.run(StockResourceServerGateway.class, args);
    }
}
