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
     * Hands every page of claims to {@code pages}, in order and on the calling thread (which commits each batch;
     * a source may fetch and parse the following pages meanwhile, a bounded number ahead), and answers the cursor
     * the next incremental run starts from.
     *
     * @throws SyncFailure when the provider cannot be read
     */
    @Nullable String fetch(UUID connectionId, @Nullable String cursor, Consumer<List<ClaimData>> pages);
}
