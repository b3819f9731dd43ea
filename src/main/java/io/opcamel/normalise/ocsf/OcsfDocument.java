package io.opcamel.normalise.ocsf;

import com.fasterxml.jackson.databind.JsonNode;
import io.opcamel.normalise.DocArray;
import io.opcamel.normalise.Doc;
import io.opcamel.normalise.Timestamps;
import io.opcamel.normalise.ocsf.OcsfRoutes.OcsfClass;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * The parts every OCSF document of the bundle shares, whatever the feed: the classification attributes, time,
 * metadata, observables, and the item's leftovers under {@code unmapped} (reference sections 4, 5 and 8).
 */
public final class OcsfDocument {

    static final String UNKNOWN = "Unknown";

    private static final OcsfVersion ORIGINAL_EVENT_UID = new OcsfVersion(1, 7, 0);
    private static final String PRODUCT = "1Password";
    private static final String FEATURE = "Events Reporting";
    private static final String LOG_PROVIDER = "onepassword-camel-bundle";

    private final OcsfVersion version;
    private final String versionText;
    private final boolean rawData;
    /** The classification's text by class, activity and status: a few dozen. */
    private final java.util.Map<Long, Doc.Written> heads = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param versionText the configured version as written in {@code metadata.version}
     * @param rawData     whether {@code raw_data} carries the item
     */
    public OcsfDocument(OcsfVersion version, String versionText, boolean rawData) {
        this.version = version;
        this.versionText = versionText;
        this.rawData = rawData;
    }

    public OcsfVersion version() {
        return version;
    }

    /**
     * A new document with its classification: an activity the configured version lacks becomes 99 with the
     * activity's caption as its name; 99 takes the source's word ({@code other}, such as the raw action) or "Other".
     */
    public Doc start(OcsfClass c, int activityId, String other, int statusId) {
        Doc doc = new Doc().put("class_uid", c.uid());
        if (activityId == OcsfRoutes.OTHER && other != null) {
            return classification(doc, c, activityId, other, statusId); // the source's word: not one to keep
        }
        // the rest is the same text for every event of a class, activity and status: written once
        long key = ((long) c.uid() * 1_000 + activityId) * 10 + statusId;
        Doc.Written head = heads.get(key);
        if (head == null) {
            head = Doc.writtenFields(classification(new Doc(), c, activityId, other, statusId));
            heads.putIfAbsent(key, head);
        }
        return doc.written(head);
    }

    private Doc classification(Doc doc, OcsfClass c, int activityId, String other, int statusId) {
        String activityName;
        if (activityId != OcsfRoutes.OTHER && c.defines(activityId, version)) {
            activityName = c.activities().get(activityId);
        } else {
            activityName = activityId != OcsfRoutes.OTHER ? c.activities().get(activityId) : other != null ? other : "Other";
            activityId = OcsfRoutes.OTHER;
        }
        doc.put("class_name", c.name());
        doc.put("category_uid", c.categoryUid());
        doc.put("category_name", c.categoryName());
        doc.put("activity_id", activityId);
        doc.put("activity_name", activityName);
        doc.put("type_uid", c.uid() * 100 + activityId);
        doc.put("type_name", c.name() + ": " + (activityId == OcsfRoutes.OTHER ? "Other" : activityName));
        doc.put("severity_id", 1);
        doc.put("severity", "Informational");
        doc.put("status_id", statusId);
        doc.put("status", switch (statusId) {
            case 1 -> "Success";
            case 2 -> "Failure";
            default -> UNKNOWN;
        });
        return doc;
    }

    /**
     * {@code time}, {@code timezone_offset} and {@code metadata}. Without a readable {@code timestamp}, {@code time} is
     * when the bundle read the page (OCSF requires a time; the reading time is the nearest fact we have) and
     * {@code metadata.original_time} keeps the item's text, if it had one.
     *
     * @param account   the account's name in the bundle's config, as the label {@code account:<name>}
     * @param eventCode the source's word for the event (category or action), may be null
     */
    public void occurrence(Doc doc, SourceFields src, String account, String feature, String eventCode,
                           Instant receivedAt) {
        String original = null;
        JsonNode timestamp = src.peek(null, "timestamp");
        if (timestamp == null) {
            src.problem(Problems.MISSING_TIMESTAMP);
            doc.put("time", receivedAt.toEpochMilli());
        } else {
            OffsetDateTime time = null;
            if (timestamp.isTextual()) {
                // original_time is OCSF's home for the source's time as written, readable or not
                src.use(null, "timestamp");
                original = timestamp.textValue();
                time = Timestamps.withOffset(original).orElse(null);
            }
            if (time == null) {
                src.problem(Problems.UNREADABLE_TIMESTAMP);
                doc.put("time", receivedAt.toEpochMilli());
            } else {
                doc.put("time", time.toInstant().toEpochMilli());
                doc.put("timezone_offset", time.getOffset().getTotalSeconds() / 60);
            }
        }
        Doc metadata = doc.putObject("metadata");
        metadata.put("version", versionText);
        Doc product = metadata.putObject("product");
        product.put("name", PRODUCT);
        product.put("vendor_name", PRODUCT);
        product.putObject("feature").put("name", FEATURE);
        String uuid = src.text(null, "uuid");
        if (uuid != null) {
            metadata.put("uid", uuid);
            if (version.atLeast(ORIGINAL_EVENT_UID)) {
                metadata.put("original_event_uid", uuid);
            }
        }
        put(metadata, "event_code", eventCode);
        metadata.put("log_name", feature);
        metadata.put("log_provider", LOG_PROVIDER);
        put(metadata, "original_time", original);
        metadata.put("logged_time", receivedAt.toEpochMilli());
        put(metadata, "tenant_uid", src.text(null, "account_uuid"));
        if (account != null) {
            metadata.putArray("labels").add("account:" + account);
        }
    }

    /** observables for the IPs, user names and emails written; what is left of the item; raw_data when on. */
    public void finish(Doc doc, SourceFields src, JsonNode item) {
        DocArray observables = new DocArray();
        observe(observables, doc.doc("src_endpoint"), "src_endpoint.ip", "ip", 2, "IP Address");
        observeUser(observables, doc.doc("user"), "user");
        Doc actor = doc.doc("actor");
        observeUser(observables, actor == null ? null : actor.doc("user"), "actor.user");
        if (!observables.isEmpty()) {
            doc.set("observables", observables);
        }
        Doc unmapped = src.leftovers();
        if (unmapped != null) {
            doc.set("unmapped", unmapped);
        }
        if (rawData && item != null) {
            doc.put("raw_data", item.toString());
        }
    }

    private static void observeUser(DocArray observables, Doc user, String path) {
        observe(observables, user, path + ".name", "name", 4, "User Name");
        observe(observables, user, path + ".email_addr", "email_addr", 5, "Email Address");
    }

    private static void observe(DocArray observables, Doc parent, String name, String field, int typeId,
                                String type) {
        String value = parent == null ? null : parent.text(field);
        if (value != null && !(typeId == 4 && UNKNOWN.equals(value))) { // not the missing-target placeholder
            observables.addObject().put("name", name).put("type_id", typeId).put("type", type).put("value", value);
        }
    }

    /** Puts a text attribute only when it has a value: OCSF documents omit what is unknown rather than write null. */
    static void put(Doc node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }
}
