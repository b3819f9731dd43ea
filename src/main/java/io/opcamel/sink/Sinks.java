package io.opcamel.sink;

import io.opcamel.config.InvalidConfigException;
import io.opcamel.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The sinks chosen by {@code onepassword.sink.type}: several may be listed, and a page counts as delivered once all acknowledged it. */
public final class Sinks {

    public static final String KEY = "onepassword.sink.type";
    private static final Set<String> KNOWN = Set.of("file", "kafka");

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

    /** The routes that deliver to each sink, in order, for the recipient list of deliver-events-page. */
    public String endpoints() {
        return String.join(",", types.stream().map(t -> "direct:sink-" + t).toList());
    }
}
