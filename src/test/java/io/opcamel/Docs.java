package io.opcamel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The documentation as the tests read it: README.md, the landing page, and the topic pages under docs/ that it links.
 * A test names the section it checks by its heading, not by a file: {@link #section} looks the heading up in every
 * page, so a section can move to another page without its test changing.
 */
public final class Docs {

    /** The landing page. */
    public static final Path README = Path.of("README.md");
    /** The folder of the topic pages. */
    public static final Path DIR = Path.of("docs");

    private static final Pattern HEADING = Pattern.compile("^(#{1,6}) +(.*?)\\s*$");
    /** An inline link or image, {@code [text](target)} or {@code [text](target "title")}: its target. */
    private static final Pattern INLINE_LINK = Pattern.compile("\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    /** A reference definition, {@code [name]: target}. */
    private static final Pattern REFERENCE = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s.*)?$");

    private Docs() {
    }

    /** A heading of a page: its level (1 for {@code #}) and its text. */
    public record Heading(int level, String text) {
    }

    /** README.md first, then every page under docs/ in the order the README first links it (any it does not, by name). */
    public static List<Path> pages() {
        Set<Path> out = new LinkedHashSet<>();
        out.add(README);
        for (String target : links(text(README))) {
            Path file = resolve(README, target);
            if (file != null && file.startsWith(DIR) && file.toString().endsWith(".md") && Files.isRegularFile(file)) {
                out.add(file);
            }
        }
        out.addAll(markdownUnderDocs());
        return List.copyOf(out);
    }

    /** Every .md file under docs/, by name. */
    public static List<Path> markdownUnderDocs() {
        try (Stream<Path> files = Files.walk(DIR)) {
            return files.filter(f -> Files.isRegularFile(f) && f.toString().endsWith(".md")).map(Path::normalize)
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A page's text. */
    public static String text(Path page) {
        try {
            return Files.readString(page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The section under the heading with exactly this text (at any level, outside code blocks), from its heading line
     * up to the next heading of the same or a higher level: a page's title gives the whole page. Exactly one heading
     * of README.md and the pages under docs/ may have this text.
     */
    public static String section(String heading) {
        List<String> found = new ArrayList<>();
        String section = null;
        for (Path page : pages()) {
            List<String> lines = text(page).lines().toList();
            boolean fence = false;
            for (int i = 0; i < lines.size(); i++) {
                fence ^= lines.get(i).startsWith("```");
                Matcher h = fence ? null : HEADING.matcher(lines.get(i));
                if (h != null && h.matches() && h.group(2).equals(heading)) {
                    found.add(page + ":" + (i + 1));
                    section = sectionFrom(lines, i, h.group(1).length());
                }
            }
        }
        assertEquals(1, found.size(), "the documentation has one section headed \"" + heading + "\": " + found);
        return section;
    }

    private static String sectionFrom(List<String> lines, int start, int level) {
        StringBuilder out = new StringBuilder(lines.get(start)).append('\n');
        boolean fence = false;
        for (int i = start + 1; i < lines.size(); i++) {
            fence ^= lines.get(i).startsWith("```");
            Matcher h = fence ? null : HEADING.matcher(lines.get(i));
            if (h != null && h.matches() && h.group(1).length() <= level) {
                break;
            }
            out.append(lines.get(i)).append('\n');
        }
        return out.toString();
    }

    /** The headings of a page, outside its code blocks. */
    public static List<Heading> headings(String markdown) {
        List<Heading> out = new ArrayList<>();
        boolean fence = false;
        for (String line : markdown.lines().toList()) {
            fence ^= line.startsWith("```");
            Matcher h = fence ? null : HEADING.matcher(line);
            if (h != null && h.matches()) {
                out.add(new Heading(h.group(1).length(), h.group(2)));
            }
        }
        return out;
    }

    /**
     * The anchors GitHub gives a page's headings: the text in lower case, a link's text kept and its target dropped,
     * every character but letters, digits, spaces, hyphens and underscores removed, spaces as hyphens; a repeated
     * anchor gets {@code -1}, {@code -2}, ...
     */
    public static Set<String> anchors(String markdown) {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Heading h : headings(markdown)) {
            String a = anchor(h.text());
            int n = seen.merge(a, 1, Integer::sum) - 1;
            out.add(n == 0 ? a : a + "-" + n);
        }
        return out;
    }

    /** GitHub's anchor of one heading's text. */
    public static String anchor(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1")
                .replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    /** The link targets of a page, as written (external ones too), outside code blocks and inline code. */
    public static List<String> links(String markdown) {
        List<String> out = new ArrayList<>();
        boolean fence = false;
        for (String line : markdown.lines().toList()) {
            fence ^= line.startsWith("```");
            if (fence || line.startsWith("```")) {
                continue;
            }
            String text = line.replaceAll("`[^`]*`", "``");
            Matcher m = INLINE_LINK.matcher(text);
            while (m.find()) {
                out.add(m.group(1));
            }
            Matcher r = REFERENCE.matcher(text);
            if (r.matches()) {
                out.add(r.group(1));
            }
        }
        return out;
    }

    /** Whether a link leaves the repository (a scheme such as https: or mailto:). */
    public static boolean external(String target) {
        return target.matches("[A-Za-z][A-Za-z0-9+.-]*:.*");
    }

    /**
     * The file a relative link of {@code page} names, its anchor left off (the page itself for {@code #anchor}; a
     * leading {@code /} is the repository's root), normalised; null for an external link.
     */
    public static Path resolve(Path page, String target) {
        if (external(target)) {
            return null;
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        if (file.isEmpty()) {
            return page.normalize();
        }
        Path dir = page.getParent() == null ? Path.of("") : page.getParent();
        Path p = file.startsWith("/") ? Path.of(file.substring(1)) : dir.resolve(file);
        return p.normalize();
    }

    /** The anchor of a link, without its {@code #}, or null. */
    public static String anchorOf(String target) {
        int hash = target.indexOf('#');
        return hash < 0 ? null : target.substring(hash + 1);
    }
}
