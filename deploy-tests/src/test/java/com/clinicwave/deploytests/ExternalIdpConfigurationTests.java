package com.clinicwave.deploytests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientProperties;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * An external IdP (Auth0) added to auth-service by configuration only, on Kubernetes
 * (deploy/k8s/examples/idp-auth0) and with compose (deploy/docker/idp-auth0.compose.yml): the environment variables
 * bind, as Spring Boot binds them in auth-service, to the same registration settings the local profile gives the
 * sandbox's "Sign in with athenahealth" (deploy/config-repo/auth-service-local.yml), and the client secret comes
 * from a Secret or the environment.
 */
@SuppressWarnings("unchecked")
class ExternalIdpConfigurationTests {

    private static final String REGISTRATION = "SPRING_SECURITY_OAUTH2_CLIENT_REGISTRATION_AUTH0_";

    @Test
    void kubernetesExampleBindsToAnAuth0RegistrationWithItsSecretFromASecret() {
        Map<String, Object> patch = Repo.yamlDocuments(Repo.path("deploy/k8s/examples/idp-auth0/auth-service-auth0.yaml"))
                .getFirst();
        List<Map<String, Object>> env = Repo.get(((List<Map<String, Object>>) Repo.get(patch, "spec", "template",
                "spec", "containers")).getFirst(), "env");
        Map<String, Object> variables = new LinkedHashMap<>();
        for (Map<String, Object> e : env) {
            String name = (String) e.get("name");
            variables.put(name, e.containsKey("value") ? e.get("value") : "from-secret");
            if (name.endsWith("CLIENTSECRET")) {
                assertThat(Repo.<String>get(e, "valueFrom", "secretKeyRef", "key")).as(name).isNotNull();
            }
        }
        assertBindsLikeTheSandboxRegistration(variables, "from-secret");
    }

    @Test
    void composeExampleBindsToTheSameRegistrationWithItsSecretFromTheEnvironment() {
        Map<String, Object> environment = Repo.get(Repo.yamlMap("deploy/docker/idp-auth0.compose.yml"), "services",
                "auth-service", "environment");
        assertThat((String) environment.get(REGISTRATION + "CLIENTSECRET")).isEqualTo(
                "${AUTH0_CLIENT_SECRET:?set AUTH0_CLIENT_SECRET}");
        assertBindsLikeTheSandboxRegistration(environment, "${AUTH0_CLIENT_SECRET:?set AUTH0_CLIENT_SECRET}");
        // The same settings on both.
        Map<String, Object> patch = Repo.yamlDocuments(Repo.path("deploy/k8s/examples/idp-auth0/auth-service-auth0.yaml"))
                .getFirst();
        List<Map<String, Object>> env = Repo.get(((List<Map<String, Object>>) Repo.get(patch, "spec", "template",
                "spec", "containers")).getFirst(), "env");
        assertThat(environment.keySet()).containsExactlyInAnyOrderElementsOf(
                env.stream().map(e -> (String) e.get("name")).toList());
    }

    private static void assertBindsLikeTheSandboxRegistration(Map<String, Object> variables, String secret) {
        MutablePropertySources sources = new MutablePropertySources();
        sources.addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        Binder binder = new Binder(ConfigurationPropertySources.from(sources));
        OAuth2ClientProperties properties = binder.bind("spring.security.oauth2.client",
                Bindable.ofInstance(new OAuth2ClientProperties())).get();
        OAuth2ClientProperties.Registration auth0 = properties.getRegistration().get("auth0");
        assertThat(auth0).as("registration auth0").isNotNull();
        assertThat(auth0.getClientId()).isNotBlank();
        assertThat(auth0.getClientSecret()).isEqualTo(secret);
        assertThat(auth0.getClientName()).isEqualTo("Auth0");
        assertThat(auth0.getScope()).containsExactlyInAnyOrder("openid", "profile", "email");
        assertThat(auth0.getAuthorizationGrantType()).isEqualTo("authorization_code");
        assertThat(auth0.getRedirectUri()).isEqualTo("{baseUrl}/login/oauth2/code/{registrationId}");
        assertThat(properties.getProvider().get("auth0").getIssuerUri()).isNotBlank();
        assertThat(properties.getProvider().get("auth0").getUserNameAttribute()).isEqualTo("sub");
        // The tenant its users belong to: auth-service's clinicwave.auth.federation.tenants.<registration id>.
        Map<String, String> tenants = binder.bind("clinicwave.auth.federation.tenants",
                Bindable.mapOf(String.class, String.class)).get();
        assertThat(tenants).containsEntry("auth0", "clinicwave");
        assertThat(Repo.read("auth-service/src/main/java/com/clinicwave/auth/config/AuthProperties.java"))
                .containsPattern("record Federation\\([^)]*Map<String, String> tenants");

        // Every registration setting the local profile gives the sandbox IdP is given here too.
        Map<String, Object> sandbox = Repo.get(Repo.yamlMap("deploy/config-repo/auth-service-local.yml"), "spring",
                "security", "oauth2", "client", "registration", "athenahealth");
        Set<String> local = new TreeSet<>();
        sandbox.keySet().forEach(k -> local.add(k.replace("-", "").toUpperCase()));
        Set<String> here = new TreeSet<>();
        variables.keySet().stream().filter(k -> k.startsWith(REGISTRATION))
                .forEach(k -> here.add(k.substring(REGISTRATION.length())));
        assertThat(here).isEqualTo(local);
    }
}
