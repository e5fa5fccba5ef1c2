package com.clinicwave.connections.audit;

import com.clinicwave.connections.audit.AuditLog.ActorType;
import com.clinicwave.platform.security.Caller;

/** Who acts: a consumer, an admin on someone's behalf, a service (client credentials), or this service itself. */
public record Actor(String id, ActorType type) {

    public static final Actor SYSTEM = new Actor("provider-connection-service", ActorType.system);

    public static Actor of(Caller caller, boolean admin) {
        if (caller.service()) {
            return new Actor(caller.subject(), ActorType.service);
        }
        return new Actor(caller.subject(), admin ? ActorType.admin : ActorType.consumer);
    }
}
