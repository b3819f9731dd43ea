package io.opcamel.sink;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * Sets up the HTTP client of the sink's endpoint (not the one that calls 1Password): its own connect and response
 * timeouts ({@code onepassword.sink.http.connect-timeout}, {@code response-timeout}), no redirect followed (a 3xx
 * fails the delivery like any other non-2xx) and no automatic retry (a failed page is retried whole by the feed's
 * next poll, from the unchanged cursor).
 */
public final class HttpSinkClient implements HttpClientConfigurer {

    private final Timeout connectTimeout;
    private final Timeout responseTimeout;

    public HttpSinkClient(HttpSinkSettings settings) {
        this.connectTimeout = Timeout.ofMilliseconds(settings.connectTimeout().toMillis());
        this.responseTimeout = Timeout.ofMilliseconds(settings.responseTimeout().toMillis());
    }

    @Override
    @SuppressWarnings("deprecation") // RequestConfig's connect timeout still overrides the pool's default in 5.x
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.setDefaultRequestConfig(RequestConfig.custom()
                .setConnectTimeout(connectTimeout)
                .setConnectionRequestTimeout(connectTimeout)
                .setResponseTimeout(responseTimeout)
                .build());
        builder.disableRedirectHandling();
        builder.disableAutomaticRetries();
    }
}
