package com.clinicwave.athena.security;

import com.clinicwave.platform.security.ClinicWaveJwtAuthorities;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.grpc.server.security.AuthenticationProcessInterceptor;
import org.springframework.grpc.server.security.GrpcSecurity;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * The gRPC API: a global server interceptor reads {@code authorization: Bearer …} from the call's metadata and
 * validates it with the same decoder and authorities as the HTTP chain; calls without a valid token are refused
 * with UNAUTHENTICATED before they reach the service. Health and reflection stay open for probes and tooling.
 */
@Configuration(proxyBeanMethods = false)
class GrpcSecurityConfig {

    @Bean
    @GlobalServerInterceptor
    AuthenticationProcessInterceptor grpcJwtInterceptor(GrpcSecurity grpc, JwtDecoder decoder) throws Exception {
        return grpc
                .authorizeRequests(requests -> requests
                        .methods("grpc.health.v1.Health/*").permitAll()
                        .methods("grpc.reflection.v1.ServerReflection/*").permitAll()
                        .methods("grpc.reflection.v1alpha.ServerReflection/*").permitAll()
                        .allRequests().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> jwt.decoder(decoder).jwtAuthenticationConverter(new ClinicWaveJwtAuthorities())))
                .build();
    }
}
