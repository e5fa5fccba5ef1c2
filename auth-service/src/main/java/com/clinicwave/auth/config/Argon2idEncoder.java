package com.clinicwave.auth.config;

import de.mkammerer.argon2.Argon2Advanced;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import de.mkammerer.argon2.Argon2Factory;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Argon2id password hashes in the PHC string format ({@code $argon2id$v=19$m=7168,t=5,p=1$salt$hash}) — the same
 * strings Spring Security's {@code Argon2PasswordEncoder} writes and reads, so existing hashes keep verifying and
 * hashes written here verify there.
 * <p>
 * The hash is computed by the reference C implementation (libargon2, bundled for the common platforms by
 * argon2-jvm) when it loads: at Keycloak's cost (7 MiB, 5 passes) it takes ~16 ms where BouncyCastle's Java port
 * takes 30–50 ms, which is what bounds logins per second. Where the native library cannot load, BouncyCastle computes
 * the same function. Hashing runs on a small pool of platform threads (a native call would otherwise pin a virtual
 * thread's carrier) behind a Resilience4j semaphore bulkhead with as many slots as threads: at most that many hashes
 * are in flight, which bounds the memory (7 MiB each) and CPU a login flood can take, and a caller that waits longer
 * than the bulkhead's {@code maxWaitDuration} for a slot gets {@link PasswordHashingBusyException} (503) instead of
 * queueing without bound.
 */
public final class Argon2idEncoder implements PasswordEncoder {

    private static final Logger log = LoggerFactory.getLogger(Argon2idEncoder.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int SALT_LENGTH = 16;
    private static final int HASH_LENGTH = 32;
    private static final int PARALLELISM = 1;
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final int memoryKib;
    private final int iterations;
    private final @Nullable Argon2Advanced nativeArgon2;
    private final @Nullable NativeArgon2idBlocks reusedBlocks;
    private final ExecutorService hashing;
    private final Bulkhead slots;

    /** One slot per CPU, a caller waits up to 2 s for one. */
    public Argon2idEncoder(int memoryKib, int iterations, boolean preferNative) {
        this(memoryKib, iterations, preferNative, Bulkhead.of("password-hashing", BulkheadConfig.custom()
                .maxConcurrentCalls(Runtime.getRuntime().availableProcessors())
                .maxWaitDuration(Duration.ofSeconds(2)).build()));
    }

    /** Hashes computed at once: at most {@code slots}' max concurrent calls, each on its own platform thread. */
    public Argon2idEncoder(int memoryKib, int iterations, boolean preferNative, Bulkhead slots) {
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        Argon2Advanced loaded = preferNative ? loadNative() : null;
        this.nativeArgon2 = loaded;
        this.reusedBlocks = loaded == null ? null : NativeArgon2idBlocks.forCost(memoryKib,
                (passes, memory, password, salt) -> loaded.rawHash(passes, memory, 1, password, salt));
        this.slots = slots;
        this.hashing = Executors.newFixedThreadPool(Math.max(1, slots.getBulkheadConfig().getMaxConcurrentCalls()),
                Thread.ofPlatform().name("argon2-", 0).daemon().factory());
    }

    private static @Nullable Argon2Advanced loadNative() {
        try {
            Argon2Advanced argon2 = Argon2Factory.createAdvanced(Argon2Factory.Argon2Types.ARGON2id);
            argon2.rawHash(1, 8, 1, new byte[] {1}, new byte[SALT_LENGTH]);
            return argon2;
        } catch (LinkageError | RuntimeException e) {
            log.warn("Native libargon2 is unavailable ({}); hashing passwords with BouncyCastle's argon2id instead",
                    e.toString());
            return null;
        }
    }

    /** Whether the native library computes the hashes (false: BouncyCastle). */
    public boolean isNative() {
        return nativeArgon2 != null;
    }

    /** Whether native hashes of the configured cost reuse each hashing thread's block memory. */
    boolean reusesBlockMemory() {
        return reusedBlocks != null;
    }

    @Override
    public String encode(CharSequence rawPassword) {
        byte[] salt = new byte[SALT_LENGTH];
        RANDOM.nextBytes(salt);
        byte[] hash = hash(Argon2Parameters.ARGON2_id, memoryKib, iterations, PARALLELISM, rawPassword, salt,
                HASH_LENGTH);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + PARALLELISM + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encodedPassword) {
        Phc phc = Phc.parse(encodedPassword);
        if (phc == null || rawPassword == null) {
            return false;
        }
        byte[] actual = hash(phc.type, phc.memoryKib, phc.iterations, phc.parallelism, rawPassword, phc.salt,
                phc.hash.length);
        return MessageDigest.isEqual(phc.hash, actual);
    }

    /** True for hashes weaker than the configured cost (they are re-hashed at the next successful login). */
    @Override
    public boolean upgradeEncoding(String encodedPassword) {
        Phc phc = Phc.parse(encodedPassword);
        return phc == null || phc.type != Argon2Parameters.ARGON2_id || phc.memoryKib < memoryKib
                || phc.iterations < iterations;
    }

    private byte[] hash(int type, int memory, int passes, int lanes, CharSequence raw, byte[] salt, int length) {
        try {
            slots.acquirePermission();
        } catch (BulkheadFullException e) {
            throw new PasswordHashingBusyException();
        }
        byte[] password = utf8(raw);
        Future<byte[]> result;
        try {
            // The slot is freed when the hash ends, not when its caller stops waiting (an interrupt).
            result = hashing.submit(() -> {
                try {
                    return compute(type, memory, passes, lanes, password, salt, length);
                } finally {
                    slots.onComplete();
                }
            });
        } catch (RuntimeException e) {
            slots.onComplete();
            Arrays.fill(password, (byte) 0);
            throw e;
        }
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result.cancel(false);
            throw new IllegalStateException("Interrupted while hashing a password", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Password hashing failed", e.getCause());
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    private byte[] compute(int type, int memory, int passes, int lanes, byte[] password, byte[] salt, int length) {
        Argon2Advanced argon2 = nativeArgon2;
        if (argon2 != null && type == Argon2Parameters.ARGON2_id && length == HASH_LENGTH) {
            NativeArgon2idBlocks blocks = reusedBlocks;
            return blocks != null && lanes == 1 && blocks.covers(memory) ? blocks.hash(passes, memory, password, salt)
                    : argon2.rawHash(passes, memory, lanes, password, salt);
        }
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(type).withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt).withParallelism(lanes).withMemoryAsKB(memory).withIterations(passes).build());
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }

    private static byte[] utf8(CharSequence raw) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(raw));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return bytes;
    }

    /** A parsed PHC argon2 string; null for anything else (which then never matches). */
    private record Phc(int type, int memoryKib, int iterations, int parallelism, byte[] salt, byte[] hash) {

        static @Nullable Phc parse(@Nullable String encoded) {
            if (encoded == null) {
                return null;
            }
            String[] parts = encoded.split("\\$");
            // "", type, v=19, m=..,t=..,p=.., salt, hash
            if (parts.length != 6 || !parts[0].isEmpty() || !"v=19".equals(parts[2])) {
                return null;
            }
            int type = switch (parts[1]) {
                case "argon2id" -> Argon2Parameters.ARGON2_id;
                case "argon2i" -> Argon2Parameters.ARGON2_i;
                case "argon2d" -> Argon2Parameters.ARGON2_d;
                default -> -1;
            };
            if (type < 0) {
                return null;
            }
            int memory = -1;
            int passes = -1;
            int lanes = -1;
            try {
                for (String param : parts[3].split(",")) {
                    String[] kv = param.split("=", 2);
                    if (kv.length != 2) {
                        return null;
                    }
                    int value = Integer.parseInt(kv[1]);
                    switch (kv[0]) {
                        case "m" -> memory = value;
                        case "t" -> passes = value;
                        case "p" -> lanes = value;
                        default -> {
                            return null;
                        }
                    }
                }
                byte[] salt = B64D.decode(parts[4]);
                byte[] hash = B64D.decode(parts[5]);
                // Bounds keep a tampered row from asking for gigabytes or hours.
                if (lanes < 1 || lanes > 16 || passes < 1 || passes > 64 || memory < 8 * lanes || memory > 1 << 20
                        || salt.length < 8 || hash.length < 16 || hash.length > 64) {
                    return null;
                }
                return new Phc(type, memory, passes, lanes, salt, hash);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }
}
