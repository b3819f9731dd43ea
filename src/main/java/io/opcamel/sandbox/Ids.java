package io.opcamel.sandbox;

import java.nio.charset.StandardCharsets;

/** 1Password-shaped identifiers: 26 characters of base32, derived deterministically from a seed and a name. */
public final class Ids {

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private Ids() {
    }

    /** A 26-character upper-case base32 id (130 bits, the top two zero) from two 64-bit halves. */
    public static String base32(long hi, long lo) {
        char[] out = new char[26];
        // 26 x 5 bits = 130 bits: emit lo's 64 bits, then hi's, least significant first, then reverse-free fill
        long a = hi;
        long b = lo;
        for (int i = 25; i >= 0; i--) {
            out[i] = ALPHABET[(int) (b & 31)];
            b = (b >>> 5) | ((a & 31) << 59);
            a = a >>> 5;
        }
        return new String(out);
    }

    /** A well-mixed 64-bit value (SplitMix64's finaliser), so consecutive inputs give unrelated ids. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    public static long hash(long seed, String... parts) {
        long h = mix(seed);
        for (String p : parts) {
            for (byte c : p.getBytes(StandardCharsets.UTF_8)) {
                h = mix(h ^ c);
            }
            h = mix(h ^ 0x2f);
        }
        return h;
    }

    /** The id of the n-th thing of a named stream: unique per (seed, name, n). */
    public static String of(long seed, String name, long n) {
        long base = hash(seed, name);
        return base32(mix(base ^ mix(n)), mix(base + 0x9e3779b97f4a7c15L * (n + 1)));
    }
}
