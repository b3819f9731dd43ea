package io.opcamel.events;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One 1Password account whose events the bundle streams: its token, host and feeds, as read from
 * {@code onepassword.events.<name>.*} (with bundle-wide defaults from {@code onepassword.events.*}).
 *
 * @param name        the account's name in config; part of every route id, cursor key and record envelope
 * @param token       the Events API bearer token (a secret: never logged)
 * @param host        the Events API base URL, e.g. https://events.1password.com
 * @param features    the feeds to poll
 * @param cron        the Quartz cron of every poll of this account
 * @param limit       events per page, 1..1000
 * @param startTime   where a feed's first poll starts, if given explicitly
 * @param startWindow otherwise, how far back from now the first poll starts
 * @param apiVersion  v1, v2, or v3 (audit events from the v3 beta, the other feeds from v2)
 */
public record EventsAccount(String name, String token, String host, List<Feature> features, String cron, int limit,
        Optional<Instant> startTime, Duration startWindow, String apiVersion) {

    /** Where the account's pages of the feature are fetched from: the host, the API version and the feature. */
    public String pageUrl(Feature feature) {
        return host + "/api/" + apiVersion(feature) + "/" + feature.name();
    }

    /** The API version the feature is read with: v3 exists for audit events only, so other feeds use v2 with it. */
    public String apiVersion(Feature feature) {
        return apiVersion.equals("v3") && feature != Feature.auditevents ? "v2" : apiVersion;
    }

    @Override
    public String toString() {
        // a record's default toString would print the token
        return "EventsAccount[" + name + " " + host + " " + features + " cron='" + cron + "' limit=" + limit + " "
                + apiVersion + "]";
    }
}
