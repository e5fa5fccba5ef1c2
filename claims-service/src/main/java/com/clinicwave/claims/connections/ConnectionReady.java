package com.clinicwave.claims.connections;

import java.util.UUID;

/** In-process event: a new active connection is recorded and wants its initial sync. */
public record ConnectionReady(UUID connectionId) {
}
