package io.opcamel.reconcile;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opcamel.http.UnroutedRequests;
import io.opcamel.scim.ScimError;
import io.opcamel.scim.gateway.IdpTokens;
import org.apache.camel.Exchange;

/**
 * The on-demand run's HTTP edge ({@code POST <base-path>/reconcile}): who is calling (bearer tokens of
 * {@code onepassword.reconcile.tokens}, compared in constant time as the gateway's are), whether this run applies
 * ({@code ?apply=true|false}, else the configured default), and the answer: 200 with the report, 500 with the report
 * of a run that failed (its {@code error} says why), 409 while another run is going on, 401, or 400 for a bad
 * {@code apply}.
 */
public final class ReconcileApi {

    private final IdpTokens callers;

    public ReconcileApi(IdpTokens callers) {
        this.callers = callers;
    }

    /** Names the caller, or answers 401 and stops the exchange; the request's headers (and token) are dropped. */
    public void authenticate(Exchange exchange) {
        String authorization = exchange.getMessage().getHeader("Authorization", String.class);
        exchange.getMessage().removeHeaders("*", "apply");
        try {
            exchange.setProperty("reconcileCaller", callers.callerOf(authorization));
        } catch (ScimError refused) {
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer realm=\"reconcile\"");
            answer(exchange, 401, "unauthorized", refused.detail());
            exchange.setRouteStop(true);
        }
    }

    /** The run's trigger, from the query; a bad {@code apply} answers 400 and stops the exchange. */
    public void trigger(Exchange exchange) {
        String apply = exchange.getMessage().getHeader("apply", String.class);
        exchange.getMessage().removeHeaders("*");
        if (apply != null && !apply.equals("true") && !apply.equals("false")) {
            answer(exchange, 400, "invalid-apply", "apply must be true or false, got '"
                    + DesiredState.printable(apply) + "'");
            exchange.setRouteStop(true);
            return;
        }
        exchange.getMessage().setBody(new ReconcileTrigger("on-demand", apply == null ? null
                : Boolean.valueOf(apply)));
    }

    /** The report, with 200, or 500 when the run failed. */
    public void respond(Exchange exchange, ReconcileRun run) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, run.isFailed() ? 500 : 200);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(run.getReport());
    }

    /** Another run is going on: 409, and nothing was started. */
    public void busy(Exchange exchange, ReconcileAlreadyRunning e) {
        exchange.getMessage().removeHeaders("*");
        answer(exchange, 409, "already-running", e.getMessage());
    }

    private static void answer(Exchange exchange, int status, String error, String detail) {
        UnroutedRequests.Refusal refusal = refusal(status, error, detail);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, refusal.contentType());
        exchange.getMessage().setBody(refusal.body());
    }

    /**
     * The reconcile API's one refusal shape, {"status":...,"error":...,"detail":...}: its own answers' and, for a
     * request refused before its route runs (another method, a query that does not decode), UnroutedRequests'.
     */
    public static UnroutedRequests.Refusal refusal(int status, String error, String detail) {
        ObjectNode o = JsonPeople.JSON.createObjectNode();
        o.put("status", status);
        o.put("error", error);
        o.put("detail", detail);
        return new UnroutedRequests.Refusal("application/json", o.toString());
    }
}
