package io.opcamel.http;

import io.opcamel.config.Settings;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client of each endpoint the bundle calls (the Events API, the SCIM bridge, the HTTP sink), given to the
 * endpoint as {@code httpClientConfigurer}: its own connect and response timeouts, read from the bundle's keys so
 * they hold in an ESB's context as under Camel Main; no redirect followed; and no automatic re-execution. Apache
 * HttpClient would otherwise resend a 429 or 503 by itself, past the bundle's throttles and retry policy (and a
 * resent POST could create a user twice): every retry is the bundle's own decision. When the bundle stops
 * ({@link #stop()}), the requests in flight are aborted and no new one leaves, so a slow answer cannot hold the
 * shutdown for its whole response timeout.
 */
public final class StrictHttpClient implements HttpClientConfigurer {

    private final Timeout connectTimeout;
    private final Timeout responseTimeout;
    /** The requests in flight, each to be aborted by a stop. */
    private final Set<ExecChain.Scope> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped;

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
        builder.addExecInterceptorFirst("abort-on-stop", (request, scope, chain) -> {
            inFlight.add(scope);
            try {
                if (stopped) {
                    throw new InterruptedIOException("not sent: the bundle is stopping");
                }
                return chain.proceed(request, scope);
            } finally {
                inFlight.remove(scope);
            }
        });
    }

    /** The bundle (re)starts: requests go again. */
    public void start() {
        stopped = false;
    }

    /** The bundle is stopping: abort what is in flight (it fails as unanswered) and send nothing more. */
    public void stop() {
        stopped = true;
        for (ExecChain.Scope scope : inFlight) {
            // camel-http's request can be cancelled (its connection closed at once); else close the connection
            if (scope.originalRequest instanceof org.apache.hc.core5.concurrent.Cancellable c) {
                c.cancel();
            }
            scope.execRuntime.discardEndpoint();
        }
    }
}
