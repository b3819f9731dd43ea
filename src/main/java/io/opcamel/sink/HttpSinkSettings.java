package io.opcamel.sink;

import io.opcamel.config.InvalidConfigException;
import io.opcamel.config.Secrets;
import io.opcamel.config.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * The HTTP sink's configuration ({@code onepassword.sink.http.*}), read and checked at start when the sink is
 * selected, so a bad value stops the bundle with the property named. The credential is held here and only here:
 * {@link #toString()} and every message show it masked.
 */
public final class HttpSinkSettings {

    public static final String PREFIX = "onepassword.sink.http.";
    public static final String URL = PREFIX + "url";
    public static final String FORMAT = PREFIX + "format";
    public static final String BATCH_SIZE = PREFIX + "batch-size";
    public static final String BATCH_BYTES = PREFIX + "batch-bytes";
    public static final String AUTH = PREFIX + "auth";
    public static final String TOKEN = PREFIX + "token";
    public static final String USERNAME = PREFIX + "username";
    public static final String PASSWORD = PREFIX + "password";
    public static final String CONNECT_TIMEOUT = PREFIX + "connect-timeout";
    public static final String RESPONSE_TIMEOUT = PREFIX + "response-timeout";
    public static final String ELASTICSEARCH_INDEX = PREFIX + "elasticsearch.index";
    public static final String SPLUNK_INDEX = PREFIX + "splunk.index";

    /** How the sink authenticates: the Authorization header it sends. */
    public enum Auth {
        /** No Authorization header. */
        none,
        /** {@code Bearer <token>}. */
        bearer,
        /** {@code Basic base64(<username>:<password>)}. */
        basic,
        /** Splunk HEC: {@code Splunk <token>}. */
        splunk,
        /** Elasticsearch API key: {@code ApiKey <token>} (the key's encoded form). */
        apikey
    }

    private final URI url;
    private final HttpSinkFormat format;
    private final int batchSize;
    private final int batchBytes;
    private final Auth auth;
    private final String authorization;
    private final String secret;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final String elasticsearchIndex;
    private final String splunkIndex;

    private HttpSinkSettings(URI url, HttpSinkFormat format, int batchSize, int batchBytes, Auth auth,
            String authorization, String secret, Duration connectTimeout, Duration responseTimeout,
            String elasticsearchIndex, String splunkIndex) {
        this.url = url;
        this.format = format;
        this.batchSize = batchSize;
        this.batchBytes = batchBytes;
        this.auth = auth;
        this.authorization = authorization;
        this.secret = secret;
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
        this.elasticsearchIndex = elasticsearchIndex;
        this.splunkIndex = splunkIndex;
    }

    /** Reads and checks every key; the http sink is selected, so its URL and credential must be there. */
    public static HttpSinkSettings read(Settings s) {
        URI url = url(s.optional(URL).orElseThrow(() -> new InvalidConfigException(URL,
                "is not set: the http sink (" + Sinks.KEY + ") needs the URL it POSTs to")));
        HttpSinkFormat format = HttpSinkFormat.of(FORMAT, s.required(FORMAT));
        int batchSize = s.integer(BATCH_SIZE, s.required(BATCH_SIZE), 1, 100_000);
        int batchBytes = s.optional(BATCH_BYTES).map(v -> s.integer(BATCH_BYTES, v, 1, Integer.MAX_VALUE)).orElse(0);
        Duration connect = positive(s, CONNECT_TIMEOUT);
        Duration response = positive(s, RESPONSE_TIMEOUT);
        String esIndex = index(s.required(ELASTICSEARCH_INDEX));
        String splunkIndex = s.optional(SPLUNK_INDEX).orElse(null);

        Auth auth = auth(s.required(AUTH));
        String secret = null;
        String authorization = null;
        switch (auth) {
            case none -> { }
            case bearer, splunk, apikey -> {
                secret = Secrets.read(s, TOKEN);
                authorization = switch (auth) {
                    case bearer -> "Bearer ";
                    case splunk -> "Splunk ";
                    default -> "ApiKey ";
                } + secret;
            }
            case basic -> {
                String user = s.optional(USERNAME).orElseThrow(() -> new InvalidConfigException(USERNAME,
                        "is not set: " + AUTH + "=basic needs a user name"));
                if (user.contains(":")) {
                    throw new InvalidConfigException(USERNAME, "must not contain ':' (basic auth cannot carry it)");
                }
                secret = Secrets.read(s, PASSWORD);
                authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret)
                        .getBytes(StandardCharsets.UTF_8));
            }
            default -> throw new IllegalStateException(auth.name());
        }
        return new HttpSinkSettings(url, format, batchSize, batchBytes, auth, authorization, secret, connect,
                response, esIndex, splunkIndex);
    }

    /**
     * What the beans hold when the http sink is not selected: nothing of onepassword.sink.http.* is read or
     * checked, and nothing is ever sent (the sink-http route is not in the delivery list).
     */
    public static HttpSinkSettings notSelected() {
        return new HttpSinkSettings(null, HttpSinkFormat.NDJSON, 500, 0, Auth.none, null, null,
                Duration.ofSeconds(10), Duration.ofSeconds(60), "logs-1password.{feature}-default", null);
    }

    private static URI url(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new InvalidConfigException(URL, "must be an http:// or https:// URL, got '" + value + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new InvalidConfigException(URL, "must be an http:// or https:// URL, got '" + value + "'");
        }
        if (uri.getRawUserInfo() != null) {
            // not echoed: the URL holds a credential
            throw new InvalidConfigException(URL, "must not carry credentials: set " + AUTH + " and its secret ("
                    + TOKEN + " or " + USERNAME + " + " + PASSWORD + ")");
        }
        return uri;
    }

    private static Auth auth(String value) {
        try {
            return Auth.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(AUTH, "names an unknown scheme '" + value + "': expected one of "
                    + Arrays.toString(Auth.values()));
        }
    }

    private static Duration positive(Settings s, String key) {
        String value = s.required(key);
        Duration d = s.duration(key, value);
        if (d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
            throw new InvalidConfigException(key, "must be a positive duration such as PT10S, got '" + value + "'");
        }
        return d;
    }

    private static String index(String value) {
        // Elasticsearch index and data stream names: lower case, none of \ / * ? " < > | , # : or a space
        if (!value.matches("[^A-Z\\s\\\\/*?\"<>|,#:]+") || value.startsWith("-") || value.startsWith("_")
                || value.startsWith("+")) {
            throw new InvalidConfigException(ELASTICSEARCH_INDEX, "is not a valid Elasticsearch index name "
                    + "(lower case, no \\ / * ? \" < > | , # : or space, not starting with - _ +), got '" + value + "'");
        }
        return value;
    }

    /** Where batches are POSTed. */
    public String url() {
        if (url == null) {
            throw new IllegalStateException("the http sink is not selected (" + Sinks.KEY + ")");
        }
        return url.toString();
    }

    public HttpSinkFormat format() {
        return format;
    }

    public String contentType() {
        return format.contentType();
    }

    /** Records per request, at most. */
    public int batchSize() {
        return batchSize;
    }

    /** Bytes per request body, at most (a single larger record goes alone); 0 = no byte limit. */
    public int batchBytes() {
        return batchBytes;
    }

    /** Whether requests carry an Authorization header. */
    public boolean authorizes() {
        return authorization != null;
    }

    /** The Authorization header's value, with the secret: for the request only, never for a log. */
    public String authorization() {
        return authorization;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration responseTimeout() {
        return responseTimeout;
    }

    /** The Elasticsearch index (or data stream) name, {feature} and {account} not yet replaced. */
    public String elasticsearchIndex() {
        return elasticsearchIndex;
    }

    /** The Splunk index, or empty for the token's default index. */
    public Optional<String> splunkIndex() {
        return Optional.ofNullable(splunkIndex);
    }

    @Override
    public String toString() {
        return "POST " + (url == null ? "(not selected)" : url) + " as " + format.key() + ", batches of at most "
                + batchSize + " records" + (batchBytes > 0 ? " and " + batchBytes + " bytes" : "") + ", auth "
                + auth + (secret == null ? "" : " " + Secrets.mask(secret));
    }
}
