package io.opcamel.sink;

import io.opcamel.config.InvalidConfigException;
import io.opcamel.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The sinks chosen by {@code onepassword.sink.type}: several may be listed, and a page counts as delivered once all acknowledged it. */
public final class Sinks {

    public static final String KEY = "onepassword.sink.type";
    private static final Set<String> KNOWN = Set.of("file", "kafka", "http");
    /** Sinks whose tail cannot be read back at start (see the dedupe seeding in OnePasswordBundle). */
    private static final Set<String> WRITE_ONLY = Set.of("http");

    private final List<String> types;

    public Sinks(Settings settings) {
        List<String> t = new ArrayList<>();
        for (String type : Settings.list(settings.required(KEY))) {
            if (!KNOWN.contains(type)) {
                throw new InvalidConfigException(KEY, "names an unknown sink '" + type + "': expected some of " + KNOWN);
            }
            if (!t.contains(type)) {
                t.add(type);
            }
        }
        if (t.isEmpty()) {
            throw new InvalidConfigException(KEY, "names no sink");
        }
        this.types = List.copyOf(t);
    }

    public List<String> types() {
        return types;
    }

    public boolean has(String type) {
        return types.contains(type);
    }

    /**
     * The routes that deliver to each sink, in order, for the recipient list of deliver-events-page. A sink that
     * cannot be read back (http) goes first: the dedupe seeding trusts the tails of the others, so an event must
     * reach those only once the write-only sink has acknowledged it, or a crash in between would lose it there.
     */
    public String endpoints() {
        List<String> ordered = new ArrayList<>(types.stream().filter(WRITE_ONLY::contains).toList());
        types.stream().filter(t -> !WRITE_ONLY.contains(t)).forEach(ordered::add);
        return String.join(",", ordered.stream().map(t -> "direct:sink-" + t).toList());
    }
}
