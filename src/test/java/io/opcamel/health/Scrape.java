package io.opcamel.health;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One answer of /observe/metrics read as Prometheus text format 0.0.4: each series' type, the labels and label values
 * of each sample name, and the samples. A line that is not a sample, a comment or blank fails the test.
 */
public final class Scrape {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** # TYPE of each series: counter, gauge, summary... */
    public final Map<String, String> types = new HashMap<>();
    /** Sample name, then label name, then the values it takes. */
    public final Map<String, Map<String, Set<String>>> labels = new HashMap<>();
    public final List<Map.Entry<String, Map<String, String>>> samples = new ArrayList<>();
    public final List<Double> values = new ArrayList<>();

    public static Scrape parse(String text) {
        Scrape s = new Scrape();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] p = line.split(" ");
                s.types.put(p[2], p[3]);
                continue;
            }
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not a sample line: " + line);
            Map<String, String> l = new HashMap<>();
            if (m.group(3) != null) {
                Matcher lm = LABEL.matcher(m.group(3));
                while (lm.find()) {
                    l.put(lm.group(1), lm.group(2));
                }
            }
            Map<String, Set<String>> of = s.labels.computeIfAbsent(m.group(1), k -> new TreeMap<>());
            l.forEach((k, v) -> of.computeIfAbsent(k, x -> new TreeSet<>()).add(v));
            s.samples.add(Map.entry(m.group(1), l));
            s.values.add(Double.parseDouble(m.group(4)));
        }
        return s;
    }

    /** The sum of the samples of that name whose labels include these. */
    public double value(String name, Map<String, String> with) {
        double sum = 0;
        boolean found = false;
        for (int i = 0; i < samples.size(); i++) {
            if (samples.get(i).getKey().equals(name) && samples.get(i).getValue().entrySet().containsAll(
                    with.entrySet())) {
                sum += values.get(i);
                found = true;
            }
        }
        assertTrue(found, "no sample " + name + with);
        return sum;
    }
}
