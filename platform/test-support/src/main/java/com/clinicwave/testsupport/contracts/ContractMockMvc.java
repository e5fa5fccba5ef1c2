package com.clinicwave.testsupport.contracts;

import jakarta.servlet.Filter;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcPrint;
import org.springframework.boot.webmvc.test.autoconfigure.SpringBootMockMvcBuilderCustomizer;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.test.web.servlet.setup.DefaultMockMvcBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * The MockMvc a servlet producer's contract tests run through (docs/contracts.md): every servlet filter of the
 * application context in its order (Spring Security included), as {@code @AutoConfigureMockMvc} would add them, but
 * without changing the test context's configuration (so the module's shared context is reused), plus any extra
 * filters (a producer variant).
 */
public final class ContractMockMvc {

    private ContractMockMvc() {
    }

    public static MockMvc of(WebApplicationContext context, Filter... extra) {
        DefaultMockMvcBuilder builder = MockMvcBuilders.webAppContextSetup(context);
        SpringBootMockMvcBuilderCustomizer filters = new SpringBootMockMvcBuilderCustomizer(context);
        filters.setPrint(MockMvcPrint.NONE);
        filters.customize(builder);
        builder.addFilters(extra);
        return builder.build();
    }

    /**
     * Replaces a contract's placeholder {@code Authorization} values (a consumer cannot know the producer's test
     * secrets) with real credentials, made when the request is sent.
     */
    public static RequestPostProcessor credentials(Map<String, Supplier<String>> placeholders) {
        return request -> {
            Supplier<String> real = placeholders.get(request.getHeader("Authorization"));
            if (real != null) {
                request.removeHeader("Authorization");
                request.addHeader("Authorization", real.get());
            }
            return request;
        };
    }
}
