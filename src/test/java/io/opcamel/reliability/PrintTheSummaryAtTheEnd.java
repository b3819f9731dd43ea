package io.opcamel.reliability;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Every reliability test class carries this extension; the first one to start leaves a resource in the run's root
 * store, which JUnit closes once, after the last test of the whole run: that prints the summary and writes it to
 * the file the {@code reliability} profile names ({@code -Dreliability.summary=...}). Without that property (a
 * single class run from an IDE) the summary is printed only.
 */
public final class PrintTheSummaryAtTheEnd implements BeforeAllCallback {

    public static final String FILE_PROPERTY = "reliability.summary";

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(PrintTheSummaryAtTheEnd.class.getName(), k -> new AtTheEnd());
    }

    private static final class AtTheEnd implements AutoCloseable {
        @Override
        public void close() {
            if (ReliabilitySummary.isEmpty()) {
                return;
            }
            String file = System.getProperty(FILE_PROPERTY);
            StringBuilder text = new StringBuilder("\n").append(ReliabilitySummary.markdown());
            if (file != null && !file.isBlank()) {
                ReliabilitySummary.write(Path.of(file));
                text.append("\n(written to ").append(file).append(")\n");
            }
            // the JVM's own stdout, not the test output Surefire redirects to a file: the build log shows it
            PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
            out.print(text);
            out.flush();
            System.out.print(text); // and the test's own output file
        }
    }
}
