package com.clinicwave.platform.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/** No traces for actuator calls (health probes and Prometheus scrapes every few seconds): noise, not traffic. */
public class ActuatorObservationPredicate implements ObservationPredicate {

    @Override
    public boolean test(String name, Observation.Context context) {
        if (context instanceof ServerRequestObservationContext server && server.getCarrier() != null) {
            String uri = server.getCarrier().getRequestURI();
            return uri == null || !uri.startsWith("/actuator");
        }
        return true;
    }
}
