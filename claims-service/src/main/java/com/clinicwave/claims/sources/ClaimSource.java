package com.clinicwave.claims.sources;

import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Where a connection's claims come from: reads them page by page, from the cursor of the last successful run. */
public interface ClaimSource {

    /** True for the connections' {@code provider_type} this source reads. */
    boolean supports(String providerType);

    /**
     * Hands every page of claims to {@code pages} (each page is committed before the next is fetched) and
     * answers the cursor the next incremental run starts from.
     *
     * @throws SyncFailure when the provider cannot be read
     */
    @Nullable String fetch(UUID connectionId, @Nullable String cursor, Consumer<List<ClaimData>> pages);
}
