package com.clinicwave.platform;

import com.clinicwave.platform.observation.ActuatorObservationPredicate;
import com.clinicwave.platform.observation.PhiSafeObservationFilter;
import com.clinicwave.platform.security.ServletProblemSecurityHandlers;
import com.clinicwave.platform.web.AccessLogFilter;
import com.clinicwave.platform.web.NulRejectingStrings;
import com.clinicwave.platform.web.ProblemErrorController;
import com.clinicwave.platform.web.RequestGuardFilter;
import com.clinicwave.platform.web.tomcat.ProblemReportValveCustomizer;
import com.clinicwave.platform.web.Problems;
import com.clinicwave.platform.web.ServletProblemHandler;
import io.micrometer.tracing.Tracer;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.json.JsonMapper;

/** Wires the platform conventions into a service; each piece appears only where its stack is on the classpath. */
@AutoConfiguration(beforeName = "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration",
        afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@EnableConfigurationProperties(PlatformProperties.class)
public class PlatformAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Problems problems(ObjectProvider<Tracer> tracer) {
        return new Problems(tracer);
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** No patient or connection id in a span's tags: http.url becomes the route template (issue 13 item 7). */
    @Bean
    @ConditionalOnMissingBean
    PhiSafeObservationFilter phiSafeObservationFilter() {
        return new PhiSafeObservationFilter();
    }

    /** JSON strings with a NUL character are refused at parsing, for every service. */
    @Bean
    @ConditionalOnClass(name = "tools.jackson.databind.JacksonModule")
    JacksonModule nulRejectingStrings() {
        return NulRejectingStrings.module();
    }

    /** Tomcat's HTML error page (for requests it rejects before any servlet) becomes a problem. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = {"org.apache.catalina.valves.ErrorReportValve",
        "org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory"})
    static class TomcatProblems {

        @Bean
        ProblemReportValveCustomizer problemReportValveCustomizer() {
            return new ProblemReportValveCustomizer();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
    static class ServletProblems {

        @Bean
        @ConditionalOnMissingBean
        ActuatorObservationPredicate actuatorObservationPredicate() {
            return new ActuatorObservationPredicate();
        }

        @Bean
        @ConditionalOnMissingBean
        ServletProblemHandler servletProblemHandler(Problems problems) {
            return new ServletProblemHandler(problems);
        }

        /** After the tracing observation filter (HIGHEST_PRECEDENCE + 1), so the ids are in the MDC. */
        @Bean
        @ConditionalOnProperty(prefix = "clinicwave.access-log", name = "enabled", havingValue = "true",
                matchIfMissing = true)
        FilterRegistrationBean<AccessLogFilter> accessLogFilter() {
            FilterRegistrationBean<AccessLogFilter> registration = new FilterRegistrationBean<>(new AccessLogFilter());
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
            return registration;
        }

        /** After the observation filter (trace id in the problem), before Spring Security and everything else. */
        @Bean
        FilterRegistrationBean<RequestGuardFilter> requestGuardFilter(Problems problems, JsonMapper json,
                @Value("${clinicwave.web.max-request-body-size:2MB}") DataSize maxBody) {
            FilterRegistrationBean<RequestGuardFilter> registration =
                    new FilterRegistrationBean<>(new RequestGuardFilter(problems, json, maxBody));
            registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
            return registration;
        }

        @Bean
        @ConditionalOnMissingBean(org.springframework.boot.webmvc.error.ErrorController.class)
        ProblemErrorController problemErrorController(Problems problems) {
            return new ProblemErrorController(problems);
        }

        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnClass(name = {"org.springframework.security.web.AuthenticationEntryPoint",
            "org.springframework.security.oauth2.core.OAuth2AuthenticationException"})
        ServletProblemSecurityHandlers servletProblemSecurityHandlers(Problems problems, JsonMapper json) {
            return new ServletProblemSecurityHandlers(problems, json);
        }
    }
}
