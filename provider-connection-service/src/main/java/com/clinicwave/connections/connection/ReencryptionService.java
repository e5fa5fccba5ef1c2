package com.clinicwave.connections.connection;

import com.clinicwave.connections.catalog.Provider;
import com.clinicwave.connections.catalog.ProviderRepository;
import com.clinicwave.connections.crypto.TokenCipher;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * After a key rotation (a new primary key added to the keyset, the old keys kept), rewrites every ciphertext not yet
 * under the primary key, so the old keys can later be disabled. Each row is replaced only if unchanged since it was
 * read, so a concurrent refresh is never overwritten; running it twice is harmless.
 */
@Service
public class ReencryptionService {

    private static final Logger log = LoggerFactory.getLogger(ReencryptionService.class);
    private static final int BATCH = 200;

    private final ConnectionRepository connections;
    private final ProviderRepository providers;
    private final TokenCipher cipher;

    ReencryptionService(ConnectionRepository connections, ProviderRepository providers, TokenCipher cipher) {
        this.connections = connections;
        this.providers = providers;
        this.cipher = cipher;
    }

    public record Report(int connectionsReencrypted, int providerSecretsReencrypted, int primaryKeyId) {
    }

    public Report reencryptAll() {
        int rows = 0;
        UUID after = null;
        List<ConnectionRepository.Ciphertexts> batch;
        do {
            batch = connections.ciphertextsAfter(after, BATCH);
            for (ConnectionRepository.Ciphertexts row : batch) {
                after = row.id();
                if (cipher.isUnderPrimary(row.accessToken()) && cipher.isUnderPrimary(row.refreshToken())) {
                    continue;
                }
                byte[] at = rewrap(row.accessToken(), Connection.accessTokenAd(row.id()));
                byte[] rt = rewrap(row.refreshToken(), Connection.refreshTokenAd(row.id()));
                if (connections.replaceCiphertexts(row, at, rt)) {
                    rows++;
                }
            }
        } while (batch.size() == BATCH);
        int secrets = 0;
        for (Map.Entry<String, byte[]> secret : providers.secrets()) {
            if (!cipher.isUnderPrimary(secret.getValue())) {
                String ad = Provider.secretAssociatedData(secret.getKey());
                providers.replaceSecret(secret.getKey(), secret.getValue(),
                        cipher.encrypt(cipher.decrypt(secret.getValue(), ad), ad));
                secrets++;
            }
        }
        log.info("Re-encrypted {} connections and {} provider secrets under key {}", rows, secrets,
                cipher.primaryKeyId());
        return new Report(rows, secrets, cipher.primaryKeyId());
    }

    private byte @Nullable [] rewrap(byte @Nullable [] ciphertext, String ad) {
        return ciphertext == null ? null : cipher.encrypt(cipher.decrypt(ciphertext, ad), ad);
    }
}
