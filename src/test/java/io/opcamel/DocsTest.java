package io.opcamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The documentation a newcomer reads: README.md is a landing page (at most 200 lines, opening with the two commands
 * that run and test the bundle) that links every page under docs/; every relative link of the README and the pages
 * names a file that exists and, with an anchor, a heading of that file (GitHub's anchors); and no page under docs/
 * is an orphan that no link from the README leads to.
 */
class DocsTest {

    private static final int README_MAX_LINES = 200;

    @Test
    void theReadmeIsALandingPageOfAtMost200Lines() throws IOException {
        int lines = Files.readAllLines(Docs.README).size();
        assertTrue(lines <= README_MAX_LINES, "README.md has " + lines + " lines, at most " + README_MAX_LINES
                + ": move what a newcomer need not read first to a page under docs/ and link it");
    }

    @Test
    void theReadmeOpensWithTheRunAndTestCommands() throws IOException {
        List<String> lines = Files.readAllLines(Docs.README);
        assertTrue(lines.size() >= 6, "README.md is too short: " + lines);
        assertTrue(lines.get(0).startsWith("# "), "README.md opens with its title: " + lines.get(0));
        assertEquals("", lines.get(1));
        assertEquals("```bash", lines.get(2), "the first thing after the title is the commands' bash block");
        assertEquals("mvn compile exec:java", command(lines.get(3)), "the first command runs the bundle");
        assertEquals("mvn test", command(lines.get(4)), "the second command runs every test");
        assertTrue(lines.get(3).contains("# run:") && lines.get(4).contains("# test:"), "each says what it does");
        assertEquals("```", lines.get(5), "the block holds the two commands and nothing else");
    }

    @Test
    void everyPageUnderDocsIsLinkedFromTheReadme() throws IOException {
        Set<Path> linked = new TreeSet<>();
        for (String target : Docs.links(Docs.text(Docs.README))) {
            Path file = Docs.resolve(Docs.README, target);
            if (file != null) {
                linked.add(file);
            }
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(Docs.DIR)) {
            files = list.filter(Files::isRegularFile).map(Path::normalize).sorted().toList();
        }
        assertTrue(files.size() >= 10, "the pages under docs/: " + files);
        List<Path> unlinked = files.stream().filter(f -> !linked.contains(f)).toList();
        assertEquals(List.of(), unlinked, "files of docs/ that README.md does not link");
    }

    @Test
    void everyRelativeLinkNamesAFileAndEveryAnchorAHeadingOfIt() {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : Docs.pages()) {
            for (String target : Docs.links(Docs.text(page))) {
                Path file = Docs.resolve(page, target);
                if (file == null) {
                    continue;
                }
                checked++;
                String anchor = Docs.anchorOf(target);
                if (!Files.exists(file)) {
                    broken.add(page + ": (" + target + ") names " + file + ", which does not exist");
                } else if (anchor != null && !file.toString().endsWith(".md")) {
                    broken.add(page + ": (" + target + ") has an anchor, but " + file + " is no markdown page");
                } else if (anchor != null && !Docs.anchors(Docs.text(file)).contains(anchor)) {
                    broken.add(page + ": (" + target + ") names #" + anchor + ", which is no heading of " + file
                            + " (its anchors: " + Docs.anchors(Docs.text(file)) + ")");
                }
            }
        }
        assertTrue(checked >= 30, "relative links checked: " + checked);
        assertEquals(List.of(), broken, "broken links");
    }

    @Test
    void noPageUnderDocsIsAnOrphan() {
        Set<Path> reached = new LinkedHashSet<>();
        Deque<Path> next = new ArrayDeque<>(List.of(Docs.README.normalize()));
        while (!next.isEmpty()) {
            Path page = next.poll();
            if (!reached.add(page) || !Files.isRegularFile(page) || !page.toString().endsWith(".md")) {
                continue;
            }
            for (String target : Docs.links(Docs.text(page))) {
                Path file = Docs.resolve(page, target);
                if (file != null && !reached.contains(file)) {
                    next.add(file);
                }
            }
        }
        List<Path> orphans = Docs.markdownUnderDocs().stream().filter(p -> !reached.contains(p)).toList();
        assertEquals(List.of(), orphans, "pages under docs/ that no link from README.md leads to");
    }

    @Test
    void githubAnchorsAreTakenAsGitHubMakesThem() {
        assertEquals("normalised-output-ecs-and-ocsf", Docs.anchor("Normalised output: ECS and OCSF"));
        assertEquals("events-feed", Docs.anchor("`events-feed`"));
        assertEquals("2-metrics-and-health", Docs.anchor("2. Metrics and health"));
        assertEquals("the-sandbox-a-local-1password", Docs.anchor("The sandbox: a local 1Password"));
        assertEquals(Set.of("x", "x-1", "y"), Docs.anchors("# X\n\n```\n# not a heading\n```\n## X\n### Y\n"));
    }

    /** A line of the commands' block without its comment. */
    private static String command(String line) {
        return line.replaceAll("\\s+#.*$", "").trim();
    }
}
