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
 * Who may read a connection's athenahealth data: its owner (a user token with {@code athena:read} whose
 * {@code sub} and {@code tid} match the connection) or a service with scope {@code athena:read}. Another
 * user's connection is answered as not found, so ids cannot be probed.
 */
@Component
class ConnectionAccess {

    static final String PERMISSION = "athena:read";
    private static final Pattern CONNECTION_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final ConnectionDirectory directory;

    ConnectionAccess(ConnectionDirectory directory) {
        this.directory = directory;
    }

    ConnectionInfo authorize(Caller caller, String connectionId) {
        if (!caller.has(PERMISSION)) {
            throw ApiException.forbidden("The caller lacks the athena:read permission");
        }
        if (connectionId == null || !CONNECTION_ID.matcher(connectionId).matches()) {
            throw ApiException.notFound("Connection");
        }
        ConnectionInfo info = directory.find(connectionId);
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
