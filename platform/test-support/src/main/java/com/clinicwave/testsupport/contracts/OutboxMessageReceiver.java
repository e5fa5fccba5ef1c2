package com.clinicwave.testsupport.contracts;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.contract.verifier.converter.YamlContract;
import org.springframework.cloud.contract.verifier.messaging.MessageVerifierReceiver;
import org.springframework.cloud.contract.verifier.messaging.internal.ContractVerifierMessage;

/**
 * The producer side of an event contract: the newest event the service wrote to its {@code event_outbox} for the
 * contract's topic ({@code sentTo}) and type ({@code outputMessage.body.type}). The outbox row's payload is the
 * record value the relay publishes unchanged, and its key the record key (header {@code kafka_messageKey}).
 */
public class OutboxMessageReceiver implements MessageVerifierReceiver<ContractVerifierMessage> {

    private final ObjectProvider<DataSource> dataSource;

    OutboxMessageReceiver(ObjectProvider<DataSource> dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public @Nullable ContractVerifierMessage receive(String destination, long timeout, TimeUnit unit,
            @Nullable YamlContract contract) {
        String type = contract != null && contract.outputMessage != null
                && contract.outputMessage.body instanceof Map<?, ?> body && body.get("type") instanceof String t
                ? t : null;
        String sql = "select payload, event_key from event_outbox where topic = ?"
                + (type == null ? "" : " and event_type = ?") + " order by created_at desc limit 1";
        DataSource source = dataSource.getIfAvailable();
        if (source == null) {
            throw new IllegalStateException("No DataSource: event contracts are verified against the outbox");
        }
        try (Connection c = source.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setString(1, destination);
            if (type != null) {
                statement.setString(2, type);
            }
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? new ContractVerifierMessage(rows.getString(1),
                        Map.of("kafka_messageKey", rows.getString(2))) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the outbox", e);
        }
    }

    @Override
    public @Nullable ContractVerifierMessage receive(String destination, @Nullable YamlContract contract) {
        return receive(destination, 5, TimeUnit.SECONDS, contract);
    }
}
