package io.opcamel.normalise.ocsf;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.normalise.Doc;
import io.opcamel.normalise.EventSchema;
import io.opcamel.normalise.Mapped;
import io.opcamel.normalise.ocsf.OcsfDocument;
import io.opcamel.normalise.ocsf.OcsfFeeds;
import io.opcamel.normalise.ocsf.OcsfVersion;
import io.opcamel.normalise.ocsf.SourceFields;
import java.time.Instant;

/**
 * The Open Cybersecurity Schema Framework (reference normalise/README.md, sections 4 to 8): sign-in attempts as
 * Authentication, item usages as Web Resources Activity, audit events routed by the table in
 * {@code normalise/ocsf-routes.json}; what has no OCSF home under {@code unmapped} with the vendor's paths.
 *
 * <p>The bundle's name for the account goes to {@code metadata.labels} as {@code account:<name>}: labels are OCSF's
 * place for tags added at normalisation time, in every version. Not {@code metadata.tenant_uid}: that is 1Password's
 * own account_uuid (v2), and a tenant id that is a uuid in v2 and a config name in v1 would not join across the two.
 *
 * <p>Odd input is still a valid document, never an exception: an unplaceable event is activity 99 with the raw
 * action as activity_name, its unplaced fields under {@code unmapped}, and {@link Mapped#problem()} one of
 * {@link io.opcamel.normalise.ocsf.Problems}. Without a readable {@code timestamp}, {@code time} is when the bundle
 * read the page and {@code metadata.original_time} keeps the text of an unreadable one. Attributes newer than the
 * configured version fall back as section 7 says (coordinates, unmapped.client.app_name, 99 with the activity's
 * caption, no original_event_uid), and before 1.2 the IAM classes' missing src_endpoint leaves the audit session's ip,
 * device and location under unmapped.
 */
public final class OcsfSchema implements EventSchema {

    private final OcsfDocument document;
    private final OcsfFeeds feeds;

    /**
     * @param ocsfVersion the {@code metadata.version} written (1.8.0, the latest release)
     * @param rawData     whether {@code raw_data} carries the item as the API wrote it
     * @throws IllegalArgumentException when ocsfVersion is not major.minor.patch
     */
    public OcsfSchema(String ocsfVersion, boolean rawData) {
        OcsfVersion version = OcsfVersion.parse(ocsfVersion);
        this.document = new OcsfDocument(version, ocsfVersion, rawData);
        this.feeds = new OcsfFeeds(document);
    }

    /** @throws IllegalArgumentException for a feature other than the three feeds (a caller's bug, not odd input) */
    @Override
    public Mapped map(JsonNode item, String account, String feature, Instant receivedAt) {
        SourceFields src = new SourceFields(item);
        Doc doc = feeds.map(src, account, feature, receivedAt);
        document.finish(doc, src, item);
        return new Mapped(doc.toString(), doc.text("class_uid"), src.problem());
    }
}
