package com.clinicwave.auth.config;

import com.sun.jna.Callback;
import com.sun.jna.CallbackReference;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import de.mkammerer.argon2.jna.Argon2Library;
import de.mkammerer.argon2.jna.Argon2_context;
import de.mkammerer.argon2.jna.Argon2_type;
import de.mkammerer.argon2.jna.Argon2_version;
import de.mkammerer.argon2.jna.JnaUint32;
import org.jspecify.annotations.Nullable;

/**
 * argon2id through libargon2's {@code argon2_ctx} with allocation callbacks: each hashing thread keeps its block memory
 * (7 MiB at the default cost) instead of a {@code malloc}/{@code free} per hash. With glibc's per-thread arenas
 * ({@code MALLOC_ARENA_MAX=2}) a block of that size often lands alone in a fresh arena heap, which {@code free} unmaps
 * again: the next hash then page-faults and zeroes all 7 MiB, ~4 ms of kernel time on top of ~19 ms of hashing,
 * measured on one of the two hashing threads in one JVM out of two (issue 16, docs/performance.md). libargon2 still
 * wipes the blocks before it "frees" them, and the password's native copy is wiped as well
 * ({@code ARGON2_FLAG_CLEAR_PASSWORD}). Only for the configured memory cost (a tampered hash asking for more gets
 * the library's own allocation, never a larger buffer kept for good), on 64-bit platforms.
 */
final class NativeArgon2idBlocks {

    private static final int ARGON2_ID = 2;
    private static final int ARGON2_VERSION_13 = 0x13;
    private static final int ARGON2_FLAG_CLEAR_PASSWORD = 1;
    private static final ThreadLocal<@Nullable Memory> BLOCKS = new ThreadLocal<>();

    /** {@code int (*allocate_fptr)(uint8_t **memory, size_t bytes_to_allocate)}. */
    interface Allocate extends Callback {
        int invoke(Pointer memory, long bytes);
    }

    /** {@code void (*deallocate_fptr)(uint8_t *memory, size_t bytes_to_allocate)}: the blocks stay with the thread. */
    interface Release extends Callback {
        void invoke(Pointer memory, long bytes);
    }

    private static final Allocate ALLOCATE = (memory, bytes) -> {
        Memory blocks = BLOCKS.get();
        if (blocks == null || blocks.size() < bytes) {
            blocks = new Memory(bytes);
            BLOCKS.set(blocks);
        }
        memory.setPointer(0, blocks);
        return 0;
    };
    private static final Release RELEASE = (memory, bytes) -> { };

    private final int memoryKib;
    private final Pointer allocate;
    private final Pointer release;

    private NativeArgon2idBlocks(int memoryKib) {
        this.memoryKib = memoryKib;
        this.allocate = CallbackReference.getFunctionPointer(ALLOCATE);
        this.release = CallbackReference.getFunctionPointer(RELEASE);
    }

    /**
     * Reused blocks for hashes of {@code memoryKib}, or null where they cannot be used (32-bit size_t, callbacks
     * unavailable, or an answer that differs from {@code check}'s for the same input).
     */
    static @Nullable NativeArgon2idBlocks forCost(int memoryKib, Check check) {
        if (Native.SIZE_T_SIZE != Long.BYTES) {
            return null;
        }
        try {
            NativeArgon2idBlocks blocks = new NativeArgon2idBlocks(8);
            byte[] password = {1, 2, 3};
            byte[] salt = new byte[16];
            if (!java.util.Arrays.equals(blocks.hash(1, 8, password.clone(), salt), check.hash(1, 8, password, salt))) {
                return null;
            }
            return new NativeArgon2idBlocks(memoryKib);
        } catch (LinkageError | RuntimeException e) {
            return null;
        }
    }

    /** The library's own hash, to compare with. */
    interface Check {
        byte[] hash(int passes, int memoryKib, byte[] password, byte[] salt);
    }

    /** Whether a hash of this memory cost uses the reused blocks. */
    boolean covers(int memory) {
        return memory == memoryKib;
    }

    /** A 32-byte argon2id (1 lane, version 0x13) of the password; the password's native copy is wiped. */
    byte[] hash(int passes, int memory, byte[] password, byte[] salt) {
        Memory out = new Memory(32);
        Memory saltCopy = new Memory(salt.length);
        saltCopy.write(0, salt, 0, salt.length);
        Memory passwordCopy = password.length == 0 ? null : new Memory(password.length);
        try {
            if (passwordCopy != null) {
                passwordCopy.write(0, password, 0, password.length);
            }
            Argon2_context.ByReference context = new Argon2_context.ByReference();
            context.out = out;
            context.outlen = new JnaUint32(32);
            context.pwd = passwordCopy;
            context.pwdlen = new JnaUint32(password.length);
            context.salt = saltCopy;
            context.saltlen = new JnaUint32(salt.length);
            context.secretlen = new JnaUint32(0);
            context.adlen = new JnaUint32(0);
            context.t_cost = new JnaUint32(passes);
            context.m_cost = new JnaUint32(memory);
            context.lanes = new JnaUint32(1);
            context.threads = new JnaUint32(1);
            context.version = new Argon2_version(ARGON2_VERSION_13);
            context.allocate_cbk = allocate;
            context.free_cbk = release;
            context.flags = new JnaUint32(ARGON2_FLAG_CLEAR_PASSWORD);
            int result = Argon2Library.INSTANCE.argon2_ctx(context, new Argon2_type(ARGON2_ID));
            if (result != Argon2Library.ARGON2_OK) {
                throw new IllegalStateException("libargon2: " + Argon2Library.INSTANCE.argon2_error_message(result));
            }
            return out.getByteArray(0, 32);
        } finally {
            if (passwordCopy != null) {
                passwordCopy.clear();
                passwordCopy.close();
            }
            out.clear();
            out.close();
            saltCopy.close();
        }
    }
}
