package io.opcamel.normalise;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * 1Password's RFC 3339 times (any fractional precision from none to nanoseconds, Z or an offset) as the normalised
 * schemas write them: UTC, truncated to the millisecond, never rounded (reference normalise/README.md, section 9).
 * This runs for every event: the usual shapes are read and written by hand, three to five times faster than
 * {@link DateTimeFormatter}; anything else goes to the JDK's parser, which decides.
 */
public final class Timestamps {

    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    /** The instant of a textual RFC 3339 time; empty when absent, not text, or not a time. */
    public static Optional<Instant> parse(JsonNode time) {
        if (time == null || !time.isTextual()) {
            return Optional.empty();
        }
        return withOffset(time.textValue()).map(OffsetDateTime::toInstant);
    }

    /** An RFC 3339 time with the offset it was written in (OCSF's timezone_offset); empty when not a time. */
    public static Optional<OffsetDateTime> withOffset(String text) {
        OffsetDateTime usual = usual(text);
        if (usual != null) {
            return Optional.of(usual);
        }
        try {
            return Optional.of(OffsetDateTime.parse(text));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** {@code uuuu-MM-ddTHH:mm:ss[.f{1,9}](Z|+hh:mm|-hh:mm)}; null for anything else or an impossible time. */
    private static OffsetDateTime usual(String t) {
        int n = t.length();
        if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        int i = 19;
        int nano = 0;
        if (t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                nano = nano * 10 + (t.charAt(i++) - '0');
            }
            if (i == start || i == n) {
                return null;
            }
            for (int k = i - start; k < 9; k++) {
                nano *= 10;
            }
        }
        int offset;
        char sign = t.charAt(i);
        if (sign == 'Z' && i + 1 == n) {
            offset = 0;
        } else if ((sign == '+' || sign == '-') && i + 6 == n && t.charAt(i + 3) == ':') {
            int hours = digits(t, i + 1, 2);
            int minutes = digits(t, i + 4, 2);
            if ((hours | minutes) < 0 || hours > 18 || minutes > 59) {
                return null;
            }
            offset = (sign == '-' ? -1 : 1) * (hours * 3600 + minutes * 60);
        } else {
            return null;
        }
        try {
            return OffsetDateTime.of(year, month, day, hour, minute, second, nano, ZoneOffset.ofTotalSeconds(offset));
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The number written by {@code count} ASCII digits at {@code from}; -1 if any is not one. */
    private static int digits(String t, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** ECS's {@code @timestamp}: {@code 2022-10-24T21:16:52.827Z}, always three fractional digits. */
    public static String utcMillis(Instant instant) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), instant.getNano(), ZoneOffset.UTC);
        if (t.getYear() < 0 || t.getYear() > 9999) {
            return MILLIS.format(instant);
        }
        char[] c = new char[24];
        put(c, 0, t.getYear(), 4);
        c[4] = '-';
        put(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        put(c, 8, t.getDayOfMonth(), 2);
        c[10] = 'T';
        put(c, 11, t.getHour(), 2);
        c[13] = ':';
        put(c, 14, t.getMinute(), 2);
        c[16] = ':';
        put(c, 17, t.getSecond(), 2);
        c[19] = '.';
        put(c, 20, t.getNano() / 1_000_000, 3);
        c[23] = 'Z';
        return new String(c);
    }

    private static void put(char[] into, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            into[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    /** OCSF's {@code timestamp_t}: milliseconds since the epoch, truncated. */
    public static long epochMillis(Instant instant) {
        return instant.toEpochMilli();
    }
}
