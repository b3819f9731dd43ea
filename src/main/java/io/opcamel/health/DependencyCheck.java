package io.opcamel.health;

import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * A check of something this instance depends on but does not own (a feed's Events API, its breaker, the SCIM bridge).
 * It always shows on {@code /observe/health}; whether it also decides readiness is the deployment's
 * ({@link BundleHealth#register}): under Camel's Kubernetes leadership only a Ready pod may lead a feed, so a shared
 * dependency that gated readiness would stop every feed on every pod at once.
 */
abstract class DependencyCheck extends AbstractHealthCheck {

    private final boolean readiness;

    DependencyCheck(String id, boolean readiness) {
        super(BundleHealth.GROUP, id);
        this.readiness = readiness;
    }

    @Override
    public boolean isReadiness() {
        return readiness;
    }
}
