package com.clinicwave.platform.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The SSRF policy on its own, with a resolver under the test's control (no DNS needed). */
class ProviderAddressPolicyTests {

    private final AtomicReference<String> answer = new AtomicReference<>("93.184.215.14");
    private final ProviderAddressPolicy policy = new ProviderAddressPolicy(true, host -> {
        if (host.equals("nowhere.example")) {
            throw new UnknownHostException(host);
        }
        if (host.equals("provider.example")) {
            return new InetAddress[] {InetAddress.getByName(answer.get())};
        }
        return InetAddress.getAllByName(host); // IP literals only: the test machine has no DNS
    });

    @Test
    void aPublicHttpsUrlPasses() {
        assertThatCode(() -> policy.check("https://provider.example/oauth2/token")).doesNotThrowAnyException();
        assertThatCode(() -> policy.check("https://93.184.215.14/fhir")).doesNotThrowAnyException();
        assertThatCode(() -> policy.check(null)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://provider.example/token", "ftp://provider.example/", "file:///etc/passwd",
        "https://user:pw@provider.example/", "https:///nohost", "not a url", "gopher://10.0.0.1/"})
    void onlyHttpsWithoutUserInfoIsAccepted(String url) {
        assertThatThrownBy(() -> policy.check(url)).isInstanceOfSatisfying(
                ProviderAddressPolicy.RefusedUrlException.class,
                e -> assertThat(e.code()).isEqualTo(ProviderAddressPolicy.NOT_HTTPS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://127.0.0.1/", "https://127.8.9.10/", "https://169.254.169.254/latest/meta-data/",
        "https://10.0.0.5/", "https://172.16.3.4/", "https://192.168.1.1/", "https://100.64.0.1/", "https://0.0.0.0/",
        "https://[::1]/", "https://[::ffff:127.0.0.1]/", "https://[::ffff:a9fe:a9fe]/", "https://[fd00::1]/",
        "https://[fe80::1]/", "https://224.0.0.1/", "https://255.255.255.255/", "https://198.18.0.1/"})
    void loopbackLinkLocalPrivateAndReservedAddressesAreRefused(String url) {
        assertThatThrownBy(() -> policy.check(url)).isInstanceOfSatisfying(
                ProviderAddressPolicy.RefusedUrlException.class,
                e -> assertThat(e.code()).isEqualTo(ProviderAddressPolicy.FORBIDDEN_ADDRESS));
    }

    @Test
    void aHostThatDoesNotResolveIsRefused() {
        assertThatThrownBy(() -> policy.check("https://nowhere.example/")).isInstanceOfSatisfying(
                ProviderAddressPolicy.RefusedUrlException.class,
                e -> assertThat(e.code()).isEqualTo(ProviderAddressPolicy.UNRESOLVABLE));
    }

    @Test
    void aHostRePointedAtAnInternalAddressAfterTheWriteIsRefusedAtCallTime() {
        assertThat(policy.resolve("provider.example")).hasSize(1);
        // DNS changes (or rebinds) after the catalog accepted the URL: the resolver the HTTP client uses refuses.
        answer.set("169.254.169.254");
        assertThatThrownBy(() -> policy.resolve("provider.example"))
                .isInstanceOf(ProviderAddressPolicy.RefusedUrlException.class);
        answer.set("10.1.2.3");
        assertThatThrownBy(() -> policy.resolve("provider.example"))
                .isInstanceOf(ProviderAddressPolicy.RefusedUrlException.class);
    }

    @Test
    void notEnforcedLetsTheLocalSandboxThrough() throws Exception {
        ProviderAddressPolicy local = new ProviderAddressPolicy(false, InetAddress::getAllByName);
        assertThatCode(() -> local.check("http://localhost:9400/trellis/oauth2/token")).doesNotThrowAnyException();
        assertThat(local.resolve("127.0.0.1")).containsExactly(InetAddress.getByName("127.0.0.1"));
    }
}
