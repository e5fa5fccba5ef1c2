package com.clinicwave.connections.connection.web;

import com.clinicwave.connections.audit.AuditLog;
import com.clinicwave.connections.connection.ReencryptionService;
import com.clinicwave.platform.security.Caller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operations on all connections of every tenant ({@code providers:platform-admin}, a platform permission no tenant
 * admin holds): re-encryption after a key rotation.
 */
@RestController
@RequestMapping("/api/admin/connections")
class AdminConnectionController {

    private final ReencryptionService reencryption;
    private final AuditLog audit;

    AdminConnectionController(ReencryptionService reencryption, AuditLog audit) {
        this.reencryption = reencryption;
        this.audit = audit;
    }

    @PostMapping("/re-encrypt")
    ReencryptionService.Report reencrypt() {
        ReencryptionService.Report report = reencryption.reencryptAll();
        audit.record(new AuditLog.Entry(Caller.current().subject(), AuditLog.ActorType.admin, "tokens.re_encrypted",
                "success", null, null, null, report.connectionsReencrypted() + " connections, "
                        + report.providerSecretsReencrypted() + " secrets"));
        return report;
    }
}
