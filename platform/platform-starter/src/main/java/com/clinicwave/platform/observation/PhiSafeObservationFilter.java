package com.clinicwave.platform.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationFilter;
import java.net.URI;

/**
 * Keeps identifiers out of traces (issue 13 item 7). Spring's HTTP observations tag every span with
 * {@code http.url}: the raw path of a server request ({@code /api/connections/6f1c…/claims}) and the full URL, query
 * included, of a client call ({@code …/fhir/ExplanationOfBenefit?patient=…}). Both hold patient and connection ids,
 * and Zipkin stores every tag. This filter rewrites {@code http.url} to the route template when one matched
 * ({@code uri} tag), else to the path with every segment that may be an id masked, and drops the query. Span names
 * are already templates ({@code http get /api/connections/{id}/claims}) or the bare method.
 */
public class PhiSafeObservationFilter implements ObservationFilter {

    static final String HTTP_URL = "http.url";
    static final String URI_TAG = "uri";

    @Override
    public Observation.Context map(Observation.Context context) {
        KeyValue url = context.getHighCardinalityKeyValue(HTTP_URL);
        if (url != null) {
            context.addHighCardinalityKeyValue(KeyValue.of(HTTP_URL, safeUrl(url.getValue(), template(context))));
        }
        KeyValue uri = context.getLowCardinalityKeyValue(URI_TAG);
        if (uri != null && !isTemplate(uri.getValue())) {
            context.addLowCardinalityKeyValue(KeyValue.of(URI_TAG, PathMasking.maskedPath(stripQuery(uri.getValue()))));
        }
        return context;
    }

    private static String template(Observation.Context context) {
        KeyValue uri = context.getLowCardinalityKeyValue(URI_TAG);
        return uri != null && isTemplate(uri.getValue()) ? uri.getValue() : null;
    }

    /** A route template or one of Spring's placeholders (NOT_FOUND, REDIRECTION, UNKNOWN, none, root). */
    private static boolean isTemplate(String value) {
        return value.contains("{") || value.equals("/") || !value.startsWith("/") && !value.contains("://");
    }

    static String safeUrl(String raw, String template) {
        String prefix = "";
        String path = raw;
        try {
            URI parsed = URI.create(raw);
            if (parsed.getScheme() != null && parsed.getRawAuthority() != null) {
                prefix = parsed.getScheme() + "://" + parsed.getRawAuthority();
                path = parsed.getRawPath() == null ? "/" : parsed.getRawPath();
            }
        } catch (IllegalArgumentException notAUri) {
            // masked below
        }
        if (template != null && template.startsWith("/")) {
            return prefix + template;
        }
        return prefix + PathMasking.maskedPath(stripQuery(path));
    }

    private static String stripQuery(String value) {
        int query = value.indexOf('?');
        return query < 0 ? value : value.substring(0, query);
    }
}
