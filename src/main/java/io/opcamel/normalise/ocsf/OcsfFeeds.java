package io.opcamel.normalise.ocsf;

import io.opcamel.normalise.Doc;
import java.time.Instant;

/** The three feeds' mappers, built once per schema with its version, chosen per item by feature. */
public final class OcsfFeeds {

    private final SignInAttempts signIns;
    private final ItemUsages itemUsages;
    private final AuditEvents auditEvents;

    public OcsfFeeds(OcsfDocument document) {
        OcsfRoutes routes = OcsfRoutes.standard();
        Endpoints endpoints = new Endpoints(document.version());
        Actors actors = new Actors(document.version());
        this.signIns = new SignInAttempts(routes, document, endpoints, actors);
        this.itemUsages = new ItemUsages(routes, document, endpoints, actors);
        this.auditEvents = new AuditEvents(routes, document, endpoints, actors);
    }

    /** The document of one item, without its finish (observables, unmapped, raw_data). */
    public Doc map(SourceFields src, String account, String feature, Instant receivedAt) {
        return switch (feature) {
            case SignInAttempts.FEATURE -> signIns.map(src, account, receivedAt);
            case ItemUsages.FEATURE -> itemUsages.map(src, account, receivedAt);
            case AuditEvents.FEATURE -> auditEvents.map(src, account, receivedAt);
            default -> throw new IllegalArgumentException("no OCSF mapping for feature '" + feature
                    + "' (signinattempts, itemusages or auditevents)");
        };
    }
}
