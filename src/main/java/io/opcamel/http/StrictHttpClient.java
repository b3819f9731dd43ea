package io.opcamel.http;

import io.opcamel.config.Settings;
import java.time.Duration;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client of each endpoint the bundle calls (the Events API, the SCIM bridge, the HTTP sink), given to the
 * endpoint as {@code httpClientConfigurer}: its own connect and response timeouts, read from the bundle's keys so
 * they hold in an ESB's context as under Camel Main; no redirect followed; and no automatic re-execution. Apache
 * HttpClient would otherwise resend a 429 or 503 by itself, past the bundle's throttles and retry policy (and a
 * resent POST could create a user twice): every retry is the bundle's own decision.
 */
public final class StrictHttpClient implements HttpClientConfigurer {

    private final Timeout connectTimeout;
    private final Timeout responseTimeout;

    public StrictHttpClient(Duration connectTimeout, Duration responseTimeout) {
        this.connectTimeout = Timeout.ofMilliseconds(connectTimeout.toMillis());
        this.responseTimeout = Timeout.ofMilliseconds(responseTimeout.toMillis());
    }

    /** From two duration keys, each longer than zero. */
    public static StrictHttpClient from(Settings settings, String connectKey, String responseKey) {
        return new StrictHttpClient(settings.positiveDuration(connectKey), settings.positiveDuration(responseKey));
    }

    @Override
    @SuppressWarnings("deprecation") // RequestConfig's connect timeout still overrides the pool's default in 5.x
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.setDefaultRequestConfig(RequestConfig.custom()
                .setConnectTimeout(connectTimeout)
                .setConnectionRequestTimeout(connectTimeout)
                .setResponseTimeout(responseTimeout)
                .setRedirectsEnabled(false)
                .build());
        builder.disableAutomaticRetries();
        builder.disableRedirectHandling();
    }
}
