package io.opcamel.events;

import io.opcamel.config.InvalidConfigException;
import io.opcamel.config.Settings;
import java.time.Duration;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client of call-events-api: the bundle's own timeouts ({@code onepassword.events.connect-timeout},
 * {@code response-timeout}; set here rather than on Camel's http component so they hold in an ESB's context too),
 * no automatic re-execution (Apache HttpClient would otherwise resend a 429 or 503 by itself, past the throttles and
 * without the other feeds of the token knowing) and no redirect followed. Retries are the feed's: see
 * {@link EventsApiRetries}.
 */
public final class EventsApiClient implements HttpClientConfigurer {

    private final Timeout connectTimeout;
    private final Timeout responseTimeout;

    public EventsApiClient(Settings settings) {
        this.connectTimeout = timeout(settings, "onepassword.events.connect-timeout");
        this.responseTimeout = timeout(settings, "onepassword.events.response-timeout");
    }

    private static Timeout timeout(Settings s, String key) {
        Duration d = s.duration(key, s.required(key));
        if (d.isNegative() || d.isZero()) {
            throw new InvalidConfigException(key, "must be longer than zero, got " + d);
        }
        return Timeout.ofMilliseconds(d.toMillis());
    }

    @Override
    @SuppressWarnings("deprecation") // RequestConfig's connect timeout still overrides the pool's default in 5.x
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.setDefaultRequestConfig(RequestConfig.custom()
                .setConnectTimeout(connectTimeout)
                .setConnectionRequestTimeout(connectTimeout)
                .setResponseTimeout(responseTimeout)
                .build());
        builder.disableAutomaticRetries();
        builder.disableRedirectHandling();
    }
}
