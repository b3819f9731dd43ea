package io.opcamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README as a newcomer follows it: its first code block's run command, word for word, started in the checkout
 * (a Maven of its own, exec:java's class loader and all: where the gateway once answered 500 to every call), then
 * every bash session of the documentation that talks to it (the README's tour: metrics and health, the SCIM gateway,
 * lifecycle commands, reconciliation; then the pages under docs/: the sandbox's admin endpoint), in the README's
 * order ({@link Docs#pages}: the README, then each page in the order the README links it), each command checked
 * against the answer its comment promises ({@code # 204}, {@code # ..."active":false...},
 * {@code # "outcome":"applied"}). Only the ports (free ones instead of 8080, 9876 and 8900) and the data folder (a
 * scratch one, where the sessions run) differ, given the way the docs allow: environment variables. No answer may be
 * a 5xx, and the events must arrive in data/events.
 */
class ReadmeRunCommandTest {

    /** Where the run command and the docs' sessions talk: the gateway's server, management, the sandbox. */
    private static final List<String> PORTS = List.of("8080", "9876", "8900");
    private static final Pattern FRAGMENT = Pattern.compile("\"[A-Za-z_]+\":(\"[^\"]*\"|true|false|null|-?[0-9]+)");
    private static final Pattern STATUS = Pattern.compile("^([1-5][0-9][0-9])\\b");
    private static final Pattern HEREDOC = Pattern.compile("<<'?([A-Za-z_]+)'?");

    @Test
    void theRunCommandAnswersEverySessionOfTheReadmeAsItSays(@TempDir Path dir) throws Exception {
        List<String[]> blocks = new ArrayList<>();
        for (Path page : Docs.pages()) { // the README first: its first block holds the run command
            blocks.addAll(fencedBlocks(Docs.text(page)));
        }
        String run = blocks.get(0)[1].lines().filter(l -> !l.isBlank()).findFirst().orElseThrow()
                .replaceAll("\\s+#.*$", "").trim();
        assertEquals("mvn compile exec:java", run, "the README's first command (this test runs it as it is)");
        Map<String, String> ports = Map.of("8080", free(), "9876", free(), "8900", free());
        Path work = Files.createDirectories(dir.resolve("work"));
        Path log = dir.resolve("run-command.log");

        ProcessBuilder pb = new ProcessBuilder("bash", "-c", run).directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("ONEPASSWORD_") || k.startsWith("CAMEL_"));
        pb.environment().put("CAMEL_SERVER_PORT", ports.get("8080"));
        pb.environment().put("CAMEL_MANAGEMENT_PORT", ports.get("9876"));
        pb.environment().put("ONEPASSWORD_SANDBOX_PORT", ports.get("8900"));
        pb.environment().put("ONEPASSWORD_DATA_DIR", work.resolve("data").toString());
        Process bundle = pb.start();
        try {
            Path events = work.resolve("data").resolve("events");
            awaitOrShow(log, bundle, () -> get("http://127.0.0.1:" + ports.get("9876") + "/observe/health/ready") == 200
                    && Stream.of("signinattempts", "itemusages", "auditevents")
                            .allMatch(f -> Files.isRegularFile(events.resolve("demo-" + f + ".ndjson"))));

            List<String> sessions = new ArrayList<>();
            for (String[] block : blocks) {
                if (block[0].equals("bash") && PORTS.stream().anyMatch(p -> block[1].contains("127.0.0.1:" + p)
                        || block[1].contains("localhost:" + p))) {
                    sessions.add(block[1]);
                }
            }
            assertTrue(sessions.size() >= 5, "the docs' sessions against the run command: " + sessions.size());
            List<String> failures = new ArrayList<>();
            int checked = 0;
            for (String session : sessions) {
                String script = session;
                for (String p : PORTS) {
                    script = script.replace("127.0.0.1:" + p, "127.0.0.1:" + ports.get(p))
                            .replace("localhost:" + p, "localhost:" + ports.get(p));
                }
                List<Statement> statements = statements(script);
                List<String[]> results = runInBash(statements, work);
                for (int i = 0; i < statements.size(); i++) {
                    checked++;
                    String problem = statements.get(i).problemWith(results.get(i)[0], results.get(i)[1]);
                    if (problem != null) {
                        failures.add(problem + "\n  command: " + statements.get(i).text + "\n  output: "
                                + results.get(i)[1]);
                    }
                }
            }
            assertTrue(checked >= 20, "commands checked: " + checked);
            assertEquals(List.of(), failures, "the docs' sessions; the run command's log is " + log + ":\n"
                    + tail(log));
            for (String f : List.of("signinattempts", "itemusages", "auditevents")) {
                assertFalse(BundleHarness.wholeLines(events.resolve("demo-" + f + ".ndjson")).isEmpty(),
                        f + " events in data/events");
            }
            String output = Files.readString(log);
            assertFalse(output.contains("Exception") || output.contains(" ERROR "), "the run command's log:\n"
                    + tail(log));
        } finally {
            stop(bundle);
        }
    }

    /** A command of a session, with the comment that says what it answers. */
    record Statement(String text, String comment) {

        /** What is wrong with this exit code and output, or null. */
        String problemWith(String rc, String output) {
            if (!rc.equals("0")) {
                return "exit code " + rc;
            }
            if (output.matches("(?s).*\"status\":\"?5[0-9][0-9].*") || output.trim().matches("5[0-9][0-9]")) {
                return "a 5xx answer";
            }
            Matcher status = STATUS.matcher(comment);
            if (status.find() && !output.trim().equals(status.group(1))) {
                return "the docs say " + status.group(1);
            }
            Matcher m = FRAGMENT.matcher(comment);
            while (m.find()) {
                if (!output.contains(m.group())) {
                    return "the docs say the answer holds " + m.group();
                }
            }
            return null;
        }
    }

    /**
     * The statements of a bash block: a line ends one unless a quote is open, the line continues with a backslash or
     * a here-document is being read; a comment outside quotes is the statement's promise.
     */
    static List<Statement> statements(String block) {
        List<Statement> out = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        String heredoc = null;
        char quote = 0;
        String comment = "";
        for (String line : block.split("\n", -1)) {
            if (heredoc != null) {
                text.append('\n').append(line);
                if (line.equals(heredoc)) {
                    heredoc = null;
                    out.add(new Statement(text.toString(), comment));
                    text.setLength(0);
                    comment = "";
                }
                continue;
            }
            StringBuilder code = new StringBuilder();
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quote == 0 && c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                    comment = line.substring(i + 1).trim();
                    break;
                }
                if (quote == 0 && (c == '\'' || c == '"')) {
                    quote = c;
                } else if (c == quote && (c == '\'' || line.charAt(i - 1) != '\\')) {
                    quote = 0;
                }
                code.append(c);
            }
            String trimmed = code.toString().stripTrailing();
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(trimmed);
            Matcher h = HEREDOC.matcher(trimmed);
            if (quote == 0 && h.find()) {
                heredoc = h.group(1);
            } else if (quote == 0 && !trimmed.endsWith("\\")) {
                if (!text.toString().isBlank()) {
                    out.add(new Statement(text.toString().strip(), comment));
                }
                text.setLength(0);
                comment = "";
            }
        }
        return out;
    }

    /** Runs the statements in one bash (variables carry over), in {@code work}; per statement its exit code and output. */
    private static List<String[]> runInBash(List<Statement> statements, Path work) throws Exception {
        StringBuilder script = new StringBuilder();
        for (int i = 0; i < statements.size(); i++) {
            script.append("printf '@@@BEGIN ").append(i).append("\\n'\n").append(statements.get(i).text)
                    .append("\nrc=$?; printf '\\n@@@END ").append(i).append(" %s\\n' \"$rc\"\n");
        }
        Path file = work.resolve("session.sh");
        Files.writeString(file, script);
        Process bash = new ProcessBuilder("bash", file.toString()).directory(work.toFile()).redirectErrorStream(true)
                .start();
        String output = new String(bash.getInputStream().readAllBytes());
        assertTrue(bash.waitFor(120, TimeUnit.SECONDS), "the session did not end");
        List<String[]> results = new ArrayList<>();
        for (int i = 0; i < statements.size(); i++) {
            int begin = output.indexOf("@@@BEGIN " + i + "\n");
            int end = output.indexOf("\n@@@END " + i + " ", begin);
            assertTrue(begin >= 0 && end > begin, "statement " + i + " did not finish: " + output);
            String rc = output.substring(end + ("\n@@@END " + i + " ").length()).lines().findFirst().orElse("?");
            results.add(new String[] {rc.trim(), output.substring(begin + ("@@@BEGIN " + i + "\n").length(), end)});
        }
        return results;
    }

    /** Each fenced block of a page: its language and its text. */
    static List<String[]> fencedBlocks(String page) {
        List<String[]> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^```([a-z]*)\\n(.*?)^```", Pattern.DOTALL).matcher(page);
        while (m.find()) {
            out.add(new String[] {m.group(1), m.group(2)});
        }
        return out;
    }

    private static void awaitOrShow(Path log, Process bundle, java.util.concurrent.Callable<Boolean> ready)
            throws IOException {
        try {
            Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                    .failFast("the run command exited", () -> !bundle.isAlive()).ignoreExceptions().until(ready);
        } catch (ConditionTimeoutException | org.awaitility.core.TerminalFailureException e) {
            throw new AssertionError(e.getMessage() + "; the run command's log:\n" + tail(log), e);
        }
    }

    /** SIGTERM to Maven and the JVM it runs, as Ctrl-C would; forcibly only if it does not end. */
    private static void stop(Process bundle) throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(bundle.descendants().toList());
        all.add(bundle.toHandle());
        all.forEach(ProcessHandle::destroy);
        if (!bundle.waitFor(60, TimeUnit.SECONDS)) {
            all.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static int get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    private static String free() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return Integer.toString(s.getLocalPort());
        }
    }
}
