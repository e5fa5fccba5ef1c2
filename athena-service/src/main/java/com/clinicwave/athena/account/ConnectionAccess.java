package com.clinicwave.athena.account;

import com.clinicwave.athena.connections.ConnectionDirectory;
import com.clinicwave.athena.connections.ConnectionInfo;
import com.clinicwave.athena.connections.ConnectionsClient;
import com.clinicwave.platform.security.Caller;
import com.clinicwave.platform.web.ApiException;
import java.util.Objects;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Who may read a connection's athenahealth data, per operation: its owner (a user token with the permission
 * {@code athena:read} whose {@code sub} and {@code tid} match the connection), or a service caller whose token has
 * the operation's own scope ({@link Operation#scope()}, e.g. {@code athena:claims:read} for claims-service's
 * sync). A service scope opens that one operation and nothing else; the old blanket {@code athena:read} scope of a
 * service token opens nothing. Another user's connection is answered as not found, so ids cannot be probed.
 */
@Component
class ConnectionAccess {

    static final String PERMISSION = "athena:read";
    private static final Pattern CONNECTION_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final ConnectionDirectory directory;

    ConnectionAccess(ConnectionDirectory directory) {
        this.directory = directory;
    }

    /** The operations of the patient-account API, each with the scope a service caller needs for it. */
    public enum Operation {
        GET_PATIENT("athena:patient:read"),
        LIST_APPOINTMENTS("athena:appointments:read"),
        GET_BALANCE("athena:balance:read"),
        LIST_CLAIMS("athena:claims:read");

        private final String scope;

        Operation(String scope) {
            this.scope = scope;
        }

        /** The scope a service token needs for this operation. */
        public String scope() {
            return scope;
        }
    }

    ConnectionInfo authorize(Caller caller, String connectionId, Operation operation) {
        if (caller.service()) {
            // A service caller gets exactly the operations its scopes name (claims-service: LIST_CLAIMS).
            if (!caller.authorities().contains("SCOPE_" + operation.scope())) {
                throw ApiException.forbidden("The service lacks the " + operation.scope() + " scope");
            }
        } else if (!caller.authorities().contains(PERMISSION)) {
            // Users need the permission itself (from their roles), not a scope of that name.
            throw ApiException.forbidden("The caller lacks the athena:read permission");
        }
        if (connectionId == null || !CONNECTION_ID.matcher(connectionId).matches()) {
            throw ApiException.notFound("Connection");
        }
        ConnectionInfo info = directory.find(connectionId);
        // Users may read only their own connections; service callers are bound to their operation scope above.
        if (!caller.service() && !(Objects.equals(caller.subject(), info.consumerId())
                && (info.tenantId() == null || Objects.equals(caller.tenantId(), info.tenantId())))) {
            throw ApiException.notFound("Connection");
        }
        if (info.providerType() != null && !"athenahealth".equalsIgnoreCase(info.providerType())) {
            throw new ApiException(HttpStatus.CONFLICT, "CONNECTION_NOT_ATHENAHEALTH",
                    "The connection is not an athenahealth connection");
        }
        if (info.reauthRequired()) {
            throw ConnectionsClient.reauthRequired();
        }
        return info;
    }
}
