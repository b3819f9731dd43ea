package io.opcamel.normalise.ecs;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Whether a text is an IP address literal that Elasticsearch's {@code ip} type takes: a value that is not would make
 * Elasticsearch reject the whole document. Never a DNS lookup, and no regex: this runs for every item.
 */
final class IpLiterals {

    private IpLiterals() {
    }

    static boolean isIp(String text) {
        return text.indexOf(':') >= 0 ? isIpv6(text) : isIpv4(text);
    }

    /** Dotted quad, each part 0..255 without leading zeros (Elasticsearch, like Guava, refuses those). */
    private static boolean isIpv4(String text) {
        int parts = 0;
        int value = 0;
        int digits = 0;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || ++parts > 4) {
                    return false;
                }
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if (digits == 1 && value == 0) {
                    return false;
                }
                value = value * 10 + (c - '0');
                if (++digits > 3 || value > 255) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return parts == 4;
    }

    /**
     * Hex digits, colons and dots only (an embedded IPv4 tail), then the JDK's literal parser: for a text with a colon
     * it parses or throws, it never resolves a name.
     */
    private static boolean isIpv6(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
                return false;
            }
        }
        try {
            InetAddress.getByName(text);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
