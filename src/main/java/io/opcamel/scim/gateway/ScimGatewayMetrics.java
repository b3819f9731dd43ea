package io.opcamel.scim.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.opcamel.scim.Guardrail;
import java.util.List;

/**
 * The gateway's meters: IdP requests by operation, resource and answered status; refusals by the rule that refused
 * them (gateway checks and guardrails alike, tag {@code rule}; each guardrail's counter exists from the start, at
 * zero); the bridge's latency per call (a timer, by method and status, or "no-response"); and audit records that
 * could not be written.
 */
public final class ScimGatewayMetrics {

    public static final String REQUESTS = "onepassword.scim.gateway.requests";
    public static final String REJECTIONS = "onepassword.scim.gateway.rejections";
    public static final String AUDIT_FAILURES = "onepassword.scim.audit.failures";

    private final MeterRegistry registry;

    public ScimGatewayMetrics(MeterRegistry registry, List<Guardrail> guardrails) {
        this.registry = registry;
        guardrails.forEach(g -> registry.counter(REJECTIONS, "rule", g.name()));
        registry.counter(AUDIT_FAILURES); // at zero from the start: an alert on it has something to read
    }

    /** After the IdP was answered, whatever the answer. */
    public void answered(ScimRequest r) {
        registry.counter(REQUESTS, "operation", r.operation == null ? "unknown" : r.operation.name(),
                "resource", r.resource == null ? "unknown" : r.resource,
                "status", Integer.toString(r.answerStatus)).increment();
        if (r.rejectedBy != null) {
            registry.counter(REJECTIONS, "rule", r.rejectedBy).increment();
        }
    }

    public void auditFailed() {
        registry.counter(AUDIT_FAILURES).increment();
    }
}
