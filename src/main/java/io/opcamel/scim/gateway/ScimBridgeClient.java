package io.opcamel.scim.gateway;

import java.time.Duration;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client of send-to-scim-bridge: its own timeouts (onepassword.scim.bridge.connect-timeout and
 * response-timeout), no automatic re-execution (Apache HttpClient would otherwise resend a request by itself, past
 * the limiter, and a resent POST could create a user twice) and no redirect followed. Retries are
 * {@link ScimBridgeRetries}'.
 */
public final class ScimBridgeClient implements HttpClientConfigurer {

    private final Duration connectTimeout;
    private final Duration responseTimeout;

    public ScimBridgeClient(Duration connectTimeout, Duration responseTimeout) {
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
    }

    @Override
    @SuppressWarnings("deprecation") // RequestConfig's connect timeout still applies where the pool sets none
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableAutomaticRetries();
        builder.disableRedirectHandling();
        builder.setDefaultRequestConfig(RequestConfig.custom()
                .setConnectTimeout(Timeout.of(connectTimeout))
                .setResponseTimeout(Timeout.of(responseTimeout))
                .setRedirectsEnabled(false)
                .build());
    }
}
