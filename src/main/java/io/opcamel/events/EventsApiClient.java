package io.opcamel.events;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * The HTTP client of call-events-api: no automatic re-execution (Apache HttpClient would otherwise resend a 429 or
 * 503 by itself, past the throttles and without the other feeds of the token knowing) and no redirect followed.
 * Retries are the feed's: see {@link EventsApiRetries}.
 */
public final class EventsApiClient implements HttpClientConfigurer {

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableAutomaticRetries();
        builder.disableRedirectHandling();
    }
}
