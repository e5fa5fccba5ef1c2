package com.clinicwave.auth.config;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/** The native and the Java argon2id agree with each other and with Spring Security's PHC strings. */
class Argon2idEncoderTests {

    private final Argon2idEncoder nativeEncoder = new Argon2idEncoder(7168, 5, true);
    private final Argon2idEncoder javaEncoder = new Argon2idEncoder(7168, 5, false);
    private final Argon2PasswordEncoder spring = new Argon2PasswordEncoder(16, 32, 1, 7168, 5);

    @Test
    void loadsTheNativeLibraryOnThisPlatform() {
        assertThat(nativeEncoder.isNative()).isTrue();
        assertThat(nativeEncoder.reusesBlockMemory()).isTrue();
        assertThat(javaEncoder.isNative()).isFalse();
    }

    @Test
    void writesPhcStringsAtTheConfiguredCost() {
        String hash = nativeEncoder.encode("correct horse battery staple");
        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=7168,t=5,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(nativeEncoder.encode("correct horse battery staple")).isNotEqualTo(hash);
    }

    @Test
    void nativeJavaAndSpringHashesVerifyEachOther() {
        String password = "pässwörd-ünïcode-1";
        String fromNative = nativeEncoder.encode(password);
        String fromJava = javaEncoder.encode(password);
        String fromSpring = spring.encode(password);
        for (String hash : new String[] {fromNative, fromJava, fromSpring}) {
            assertThat(nativeEncoder.matches(password, hash)).as(hash).isTrue();
            assertThat(javaEncoder.matches(password, hash)).as(hash).isTrue();
            assertThat(spring.matches(password, hash)).as(hash).isTrue();
            assertThat(nativeEncoder.matches(password + "x", hash)).as(hash).isFalse();
            assertThat(javaEncoder.matches("", hash)).as(hash).isFalse();
        }
    }

    @Test
    void verifiesOtherArgon2VariantsAndCostsThroughTheJavaImplementation() {
        String weaker = new Argon2PasswordEncoder(16, 32, 1, 4096, 3).encode("s3cret-password");
        assertThat(nativeEncoder.matches("s3cret-password", weaker)).isTrue();
        assertThat(nativeEncoder.upgradeEncoding(weaker)).isTrue();
        assertThat(nativeEncoder.upgradeEncoding(nativeEncoder.encode("s3cret-password"))).isFalse();
        String argon2i = weaker.replace("$argon2id$", "$argon2i$");
        assertThat(nativeEncoder.matches("s3cret-password", argon2i)).isFalse();
    }

    @Test
    void refusesMalformedOrAbusiveEncodings() {
        String good = nativeEncoder.encode("pw-123456");
        assertThat(nativeEncoder.matches("pw-123456", null)).isFalse();
        assertThat(nativeEncoder.matches("pw-123456", "")).isFalse();
        assertThat(nativeEncoder.matches("pw-123456", "plain")).isFalse();
        assertThat(nativeEncoder.matches("pw-123456", good.replace("v=19", "v=16"))).isFalse();
        assertThat(nativeEncoder.matches("pw-123456", good.replace("m=7168", "m=99999999"))).isFalse();
        assertThat(nativeEncoder.matches("pw-123456", good.replace("t=5", "t=100000"))).isFalse();
        assertThat(nativeEncoder.matches("pw-123456", good.replace("p=1", "p=x"))).isFalse();
        assertThat(nativeEncoder.matches("pw-123456", good.substring(0, good.lastIndexOf('$')) + "$!!")).isFalse();
        assertThat(nativeEncoder.upgradeEncoding("not-a-phc-string")).isTrue();
    }

    @Test
    void reusedBlockMemoryGivesTheLibrarysHashesOnEveryHashingThread() throws Exception {
        // Many hashes over both pool threads, each reusing its blocks: all verify with the Java implementation.
        java.util.List<java.util.concurrent.Future<String>> hashes = new java.util.ArrayList<>();
        try (var callers = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            for (int i = 0; i < 12; i++) {
                String password = "reused-" + i;
                hashes.add(callers.submit(() -> nativeEncoder.encode(password)));
            }
        }
        for (int i = 0; i < hashes.size(); i++) {
            String hash = hashes.get(i).get();
            assertThat(javaEncoder.matches("reused-" + i, hash)).as(hash).isTrue();
            assertThat(nativeEncoder.matches("reused-" + i + "x", hash)).as(hash).isFalse();
        }
        assertThat(nativeEncoder.matches("", nativeEncoder.encode(""))).isTrue();
        assertThat(javaEncoder.matches("", nativeEncoder.encode(""))).isTrue();
    }

    @Test
    void aHashWaitsBoundedlyForASlotThenIsRefusedAsBusy() {
        Bulkhead slots = Bulkhead.of("test", BulkheadConfig.custom().maxConcurrentCalls(1)
                .maxWaitDuration(Duration.ofMillis(20)).build());
        Argon2idEncoder bounded = new Argon2idEncoder(1024, 1, true, slots);
        String hash = bounded.encode("pw-123456");
        assertThat(slots.getMetrics().getAvailableConcurrentCalls()).isEqualTo(1);

        slots.acquirePermission();
        assertThatThrownBy(() -> bounded.matches("pw-123456", hash)).isInstanceOf(PasswordHashingBusyException.class)
                .satisfies(e -> assertThat(((PasswordHashingBusyException) e).status().value()).isEqualTo(503));
        assertThatThrownBy(() -> bounded.encode("pw-123456")).isInstanceOf(PasswordHashingBusyException.class);
        slots.onComplete();

        assertThat(bounded.matches("pw-123456", hash)).isTrue();
        assertThat(slots.getMetrics().getAvailableConcurrentCalls()).isEqualTo(1);
    }
}
