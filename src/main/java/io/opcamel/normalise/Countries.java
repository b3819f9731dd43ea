package io.opcamel.normalise;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * 1Password writes a country as an ISO 3166 alpha-2 code ("CA") or as an English name ("Canada", "France"), in the
 * same field: ECS wants codes in {@code country_iso_code} and names in {@code country_name}; OCSF wants a code.
 */
public final class Countries {

    private static final Set<String> CODES = Set.of(Locale.getISOCountries());
    private static final Map<String, String> CODE_BY_NAME = new HashMap<>();

    static {
        for (String code : CODES) {
            CODE_BY_NAME.put(new Locale("", code).getDisplayCountry(Locale.ENGLISH).toLowerCase(Locale.ROOT), code);
        }
    }

    private Countries() {
    }

    /** True for a two-letter ISO 3166 code, in upper case as 1Password writes it. */
    public static boolean isAlpha2(String country) {
        return country != null && country.length() == 2 && CODES.contains(country);
    }

    /** The alpha-2 code of a country written as a code or as its English name; empty when neither. */
    public static Optional<String> alpha2(String country) {
        if (country == null) {
            return Optional.empty();
        }
        if (isAlpha2(country)) {
            return Optional.of(country);
        }
        return Optional.ofNullable(CODE_BY_NAME.get(country.trim().toLowerCase(Locale.ROOT)));
    }
}
