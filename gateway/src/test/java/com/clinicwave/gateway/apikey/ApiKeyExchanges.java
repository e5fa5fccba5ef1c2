package com.clinicwave.gateway.apikey;

import com.clinicwave.gateway.revocation.RevocationList;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import tools.jackson.databind.json.JsonMapper;

/** Tests' access to a real {@link ApiKeyExchange} aimed at another auth-service (e.g. contract stubs). */
public final class ApiKeyExchanges {

    private ApiKeyExchanges() {
    }

    /** The context's exchange settings, with another exchange URI. */
    public static ApiKeyExchange against(String exchangeUri, ApiKeyProperties settings, Clock clock,
            MeterRegistry meters, RevocationList revocations, JsonMapper json) {
        return new ApiKeyExchange(new ApiKeyProperties(exchangeUri, settings.clientId(), settings.clientSecret(),
                settings.timeout(), settings.refreshBeforeExpiry(), settings.cacheMaxKeys()), clock, meters,
                revocations, json);
    }
}
