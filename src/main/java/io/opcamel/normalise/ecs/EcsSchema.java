package io.opcamel.normalise.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opcamel.normalise.Doc;
import io.opcamel.normalise.EventSchema;
import io.opcamel.normalise.Mapped;
import io.opcamel.normalise.Timestamps;
import java.time.Instant;
import java.util.Optional;

/**
 * Elastic Common Schema, compatible with Elastic's 1password integration package (reference normalise/README.md,
 * sections 2, 3, 8 and 9): the same fields and values for the same item, so that Elastic's dashboards, rules and
 * searches work unchanged, plus the fields the reference lists as beyond Elastic.
 *
 * <p>The bundle's name for the account goes to {@code labels.account}. It is the operator's alias from the bundle's
 * config ("prod-eu"), not a fact of the event: ECS keeps such shipper-added keywords in {@code labels}, and
 * {@code organization.*} belongs to the tenant as 1Password names it ({@code organization.id} is the v2
 * {@code account_uuid}). The two must not be confused when one bundle reads many accounts.
 *
 * <p>An item the mapper cannot fully place is never dropped (Elastic drops items without a timestamp) and never
 * throws: it goes out with {@code event.kind: pipeline_error}, {@code error.message} naming each field, the tag
 * {@code preserve_original_event} and {@code event.original} (whatever the option says), and {@link Mapped#problem()}
 * is one of: {@code missing-timestamp} and {@code unreadable-timestamp} (then {@code @timestamp} is when the bundle
 * read the event, as a data stream needs one; {@code event.created} says the same), {@code wrong-type} (a field of
 * another JSON type than the feed's, or an item that is not a JSON object), {@code bad-ip} (an IP field that is not an
 * IP address), {@code unknown-feature} (all fields under {@code onepassword.*}), {@code mapper-failure} (a bug here;
 * the item goes out whole). Unknown categories, actions and object types are values, not problems.
 */
public final class EcsSchema implements EventSchema {

    private final String ecsVersion;
    private final boolean original;
    /** The last read time, written once: all items of a page share it. */
    private volatile ReadTime lastRead = new ReadTime(Instant.MIN, "");

    private record ReadTime(Instant at, String text) {
    }

    /**
     * @param ecsVersion the {@code ecs.version} written (8.11.0, as Elastic's pipelines)
     * @param original   whether {@code event.original} carries the item (its JSON as parsed from the page, compactly
     *                   written: the same content as the API's bytes, not the same spacing); always with a problem
     */
    public EcsSchema(String ecsVersion, boolean original) {
        this.ecsVersion = ecsVersion;
        this.original = original;
    }

    @Override
    public Mapped map(JsonNode item, String account, String feature, Instant receivedAt) {
        try {
            return document(item, account, feature, receivedAt);
        } catch (RuntimeException e) {
            return failure(item, account, feature, receivedAt, e);
        }
    }

    private Mapped document(JsonNode item, String account, String feature, Instant receivedAt) {
        EcsDraft d = new EcsDraft();
        EcsFeed feed = EcsFeed.of(feature);
        Instant at = receivedAt;
        if (item instanceof ObjectNode fields) {
            at = timestamp(fields.get("timestamp"), d).orElse(receivedAt);
            if (feed != null) {
                feed.place(fields, d);
            } else {
                d.problem("unknown-feature", "no ECS mapping for the feature " + feature
                        + ": the item's fields are under onepassword");
                d.keepAll(fields);
            }
        } else {
            d.problem("wrong-type", "the item is " + EcsDraft.kind(item) + ", not a JSON object");
        }
        Doc geo = d.placeLocation();

        Doc doc = new Doc();
        doc.put("@timestamp", Timestamps.utcMillis(at));
        doc.putObject("ecs").put("version", ecsVersion);
        Doc event = doc.putObject("event");
        event.put("kind", d.problem == null ? "event" : "pipeline_error");
        if (feed != null) {
            event.putArray("category").add(feed.category);
            event.putArray("type").add(feed.type);
        }
        event.setAll(d.event);
        event.put("created", read(receivedAt));
        event.put("module", "1password");
        if (feed != null) {
            event.put("dataset", feed.dataset);
        }
        if (original || d.problem != null) {
            // The one serialisation of the item, and only when asked for or needed.
            event.put("original", item == null ? "null" : item.toString());
        }
        if (d.problem != null) {
            doc.putObject("error").put("message", d.errors());
        }
        if (account != null) {
            doc.putObject("labels").put("account", account);
        }
        set(doc, "organization", d.organization);
        if (!d.target.isEmpty()) {
            d.user.set("target", d.target);
        }
        set(doc, "user", d.user);
        set(doc, "group", d.group);
        if (d.ip != null || !d.relatedUser.isEmpty()) {
            Doc related = doc.putObject("related");
            if (d.ip != null) {
                related.putArray("ip").add(d.ip);
            }
            if (!d.relatedUser.isEmpty()) {
                related.set("user", d.relatedUser);
            }
        }
        if (d.ip != null) {
            Doc source = doc.putObject("source");
            source.put("ip", d.ip);
            if (geo != null) {
                source.set("geo", geo);
            }
        }
        if (!d.os.isEmpty()) {
            doc.putObject("host").set("os", d.os);
        }
        set(doc, "onepassword", d.vendor);
        if (d.problem != null) {
            doc.putArray("tags").add("preserve_original_event");
        }
        return new Mapped(doc.toString(), null, d.problem);
    }

    private String read(Instant at) {
        ReadTime last = lastRead;
        if (!last.at().equals(at)) {
            last = new ReadTime(at, Timestamps.utcMillis(at));
            lastRead = last;
        }
        return last.text();
    }

    /** The item's time; a missing or unreadable one is a problem (the caller falls back to when it was read). */
    private static Optional<Instant> timestamp(JsonNode value, EcsDraft d) {
        if (value == null || value.isNull()) {
            d.problem("missing-timestamp", "timestamp: missing; @timestamp is when the bundle read the event");
            return Optional.empty();
        }
        Optional<Instant> at = Timestamps.parse(value);
        if (at.isEmpty()) {
            d.problem("unreadable-timestamp", "timestamp: not an RFC 3339 time; @timestamp is when the bundle read the event");
        }
        return at;
    }

    private static void set(Doc doc, String name, Doc part) {
        if (!part.isEmpty()) {
            doc.set(name, part);
        }
    }

    /** A bug in the mapping must not stop the feed or lose the item: it goes out whole, marked. */
    private Mapped failure(JsonNode item, String account, String feature, Instant receivedAt, RuntimeException e) {
        String read = Timestamps.utcMillis(receivedAt == null ? Instant.now() : receivedAt);
        Doc doc = new Doc();
        doc.put("@timestamp", read);
        doc.putObject("ecs").put("version", ecsVersion);
        Doc event = doc.putObject("event");
        event.put("kind", "pipeline_error");
        event.put("created", read);
        event.put("module", "1password");
        EcsFeed feed = EcsFeed.of(feature);
        if (feed != null) {
            event.put("dataset", feed.dataset);
        }
        event.put("original", String.valueOf(item));
        doc.putObject("error").put("message", "the ECS mapper failed: " + e);
        if (account != null) {
            doc.putObject("labels").put("account", account);
        }
        doc.putArray("tags").add("preserve_original_event");
        return new Mapped(doc.toString(), null, "mapper-failure");
    }
}
