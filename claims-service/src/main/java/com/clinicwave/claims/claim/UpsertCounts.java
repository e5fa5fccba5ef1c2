package com.clinicwave.claims.claim;

/** What an upsert did: claims new to this connection, claims whose content changed, claims seen again unchanged. */
public record UpsertCounts(int created, int updated, int unchanged) {

    public static final UpsertCounts NONE = new UpsertCounts(0, 0, 0);

    public UpsertCounts plus(UpsertCounts other) {
        return new UpsertCounts(created + other.created, updated + other.updated, unchanged + other.unchanged);
    }
}
