package com.clinicwave.sandbox.web;

import com.clinicwave.sandbox.fault.FaultInterceptor;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Puts fault injection in front of every simulated provider endpoint (never in front of the admin API). */
@Configuration(proxyBeanMethods = false)
class WebConfig implements WebMvcConfigurer {

    private final FaultInterceptor faultInterceptor;

    WebConfig(FaultInterceptor faultInterceptor) {
        this.faultInterceptor = faultInterceptor;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(faultInterceptor).excludePathPatterns("/sandbox/**", "/actuator/**", "/error");
    }
}
