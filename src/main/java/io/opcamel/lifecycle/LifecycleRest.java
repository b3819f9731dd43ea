package io.opcamel.lifecycle;

import io.opcamel.http.UnroutedRequests;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opcamel.scim.ScimError;
import io.opcamel.scim.gateway.IdpTokens;
import org.apache.camel.Exchange;

/**
 * The lifecycle API's HTTP edge: who is calling (bearer tokens of {@code onepassword.lifecycle.tokens}, compared in
 * constant time as the gateway's are), and the answer: the command's result with the status its outcome calls for
 * (200 applied, unchanged, replayed or superseded; 400/413 invalid; 409 a reused requestId; 422 refused by a rule;
 * 502 the bridge failed), or the result of an earlier command by its requestId.
 */
public final class LifecycleRest {

    static final String CALLER = "lifecycleCaller";

    private final IdpTokens callers;
    private final LifecycleLedger ledger;

    public LifecycleRest(IdpTokens callers, LifecycleLedger ledger) {
        this.callers = callers;
        this.ledger = ledger;
    }

    /**
     * Names the caller, or answers 401 and stops the exchange; the request's headers (and token) are dropped, but for
     * the path's requestId and the Content-Type a command's body is checked by.
     */
    public void authenticate(Exchange exchange) {
        String authorization = exchange.getMessage().getHeader("Authorization", String.class);
        exchange.getMessage().removeHeaders("*", "requestId", Exchange.CONTENT_TYPE);
        try {
            exchange.setProperty(CALLER, callers.callerOf(authorization));
        } catch (ScimError refused) {
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer realm=\"lifecycle\"");
            error(exchange, 401, "unauthorized", refused.detail());
            exchange.setRouteStop(true);
        }
    }

    /**
     * Answers 415 and stops the exchange when a command is not sent as JSON. The HTTP server turns a form body (curl
     * -d's default type) into fields, so the command's text is gone: say what to send instead of failing on what is
     * left.
     */
    public void refuseWhatIsNotJson(Exchange exchange) {
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        exchange.getMessage().removeHeader(Exchange.CONTENT_TYPE);
        if (contentType != null && !isJson(contentType)) {
            error(exchange, 415, "unsupported-media-type", "a command is JSON: send it as Content-Type "
                    + "application/json, not " + LifecycleCommands.printable(contentType));
            exchange.setRouteStop(true);
        }
    }

    private static boolean isJson(String contentType) {
        String type = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        return type.equals("application/json") || type.endsWith("+json") || type.equals("text/json");
    }

    /** The answer to POST .../commands. */
    public void respond(Exchange exchange, LifecycleRun run, String result) {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, run.status());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(result);
    }

    /** The answer to GET .../commands/{requestId}: what the ledger remembers, or 404. */
    public void recall(Exchange exchange) {
        String requestId = exchange.getMessage().getHeader("requestId", String.class);
        exchange.getMessage().removeHeaders("*");
        com.fasterxml.jackson.databind.JsonNode result;
        try {
            result = requestId == null ? null : ledger.result(requestId);
        } catch (LedgerUnavailable e) {
            error(exchange, 503, "ledger", e.getMessage());
            return;
        }
        if (result == null) {
            error(exchange, 404, "unknown-request-id", "no finished command has the requestId '"
                    + LifecycleCommands.printable(requestId == null ? "" : requestId) + "' (a failed one is not kept)");
            return;
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(LifecyclePlanner.write(result));
    }

    private static void error(Exchange exchange, int status, String rule, String reason) {
        UnroutedRequests.Refusal refusal = refusal(status, rule, reason);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, refusal.contentType());
        exchange.getMessage().setBody(refusal.body());
    }

    /** The lifecycle API's one refusal shape: {"outcome":"rejected","rule":...,"reason":...}. */
    public static UnroutedRequests.Refusal refusal(int status, String rule, String reason) {
        ObjectNode o = LifecycleCommands.JSON.createObjectNode();
        o.put("outcome", "rejected");
        o.put("rule", rule);
        o.put("reason", reason);
        return new UnroutedRequests.Refusal("application/json", LifecyclePlanner.write(o));
    }
}
