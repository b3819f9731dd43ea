package io.opcamel;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The bundle in a JVM of its own, started the one way every run path starts it: {@link OnePasswordMain} (the jar's
 * Main-Class, and what {@code mvn compile exec:java} runs with {@code --sandbox}) on the test classpath, where
 * target/classes holds the packaged routes and config exactly as the jar does. Only the environment the test gives
 * reaches it: none of the developer's own {@code ONEPASSWORD_*} or {@code CAMEL_*} variables.
 */
public final class BundleProcess {

    private BundleProcess() {
    }

    /**
     * Starts it in {@code work} (where a relative {@code data} folder lands), stdout and stderr appended to
     * {@code log}, with these JVM options ({@code -Xmx}, {@code -Dkey=value}), environment and arguments.
     */
    public static Process start(Path work, Path log, List<String> jvmOptions, Map<String, String> env,
            String... args) throws IOException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        return builder(work, jvmOptions, env, args).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    /** The same, for a test that reads stdout and stderr apart: set the redirects, then start it. */
    public static ProcessBuilder builder(Path work, List<String> jvmOptions, Map<String, String> env, String... args)
            throws IOException {
        Files.createDirectories(work);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath());
        command.add(OnePasswordMain.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("ONEPASSWORD_") || k.startsWith("CAMEL_"));
        pb.environment().putAll(env);
        return pb;
    }

    /**
     * The test classpath without its empty entries (one would put the working folder, and a routes/ folder beside
     * the packaged one, on the child's classpath).
     */
    public static String classpath() {
        return String.join(File.pathSeparator, Stream.of(System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path")).split(File.pathSeparator)).filter(e -> !e.isBlank()).toList());
    }
}
