package io.opcamel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundle runs from a jar (java -jar, or an ESB's dependency), and Camel 4.18 cannot read a {@code **} match from
 * inside one (CAMEL-23370: the file's folder is dropped from its name). The packaged route patterns, one per folder,
 * must find and read every route file from a jar, and cover every folder under routes/.
 */
class RoutesFromAJarTest {

    @Test
    void thePackagedPatternsReadEveryRouteFileFromAJar(@TempDir Path dir) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(Path.of("routes"))) {
            for (Path f : s.filter(p -> p.toString().endsWith(".camel.yaml")).toList()) {
                files.put(f.toString().replace('\\', '/'), Files.readString(f));
            }
        }
        Path jar = dir.resolve("bundle.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
            java.util.Set<String> folders = new java.util.HashSet<>();
            for (Map.Entry<String, String> f : files.entrySet()) {
                String name = f.getKey();
                // directory entries first, as the jar plugin writes them
                for (int slash = name.indexOf('/'); slash >= 0; slash = name.indexOf('/', slash + 1)) {
                    if (folders.add(name.substring(0, slash + 1))) {
                        j.putNextEntry(new JarEntry(name.substring(0, slash + 1)));
                        j.closeEntry();
                    }
                }
                j.putNextEntry(new JarEntry(name));
                j.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                j.closeEntry();
            }
        }

        Map<String, String> read = new TreeMap<>();
        DefaultCamelContext context = new DefaultCamelContext();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            PluginHelper.getPackageScanResourceResolver(context).addClassLoader(loader);
            for (String pattern : routes().split(",")) {
                for (Resource r : PluginHelper.getPackageScanResourceResolver(context).findResources(pattern)) {
                    if (!r.getLocation().contains(jar.getFileName().toString() + "!")) {
                        continue; // the same files in target/classes, on the test's own class path
                    }
                    try (InputStream in = r.getInputStream()) {
                        assertNotNull(in, "cannot read " + r.getLocation() + " from the jar");
                        String name = r.getLocation().substring(r.getLocation().indexOf("!/") + 2);
                        read.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
        } finally {
            context.stop();
        }
        assertEquals(files, read, "every route file, read from the jar through the packaged patterns");
    }

    /** The one declaration of where the routes are, as the bundle reads it (the packaged defaults). */
    private static String routes() throws Exception {
        return OnePasswordBundle.packagedDefaults().getProperty(OnePasswordBundle.ROUTES_KEY);
    }

    @Test
    void thePackagedPatternCoversEveryRoutesFolder() throws Exception {
        Properties defaults = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("config/application.properties"))) {
            defaults.load(r);
        }
        assertEquals(routes(), defaults.getProperty("camel.main.routes-include-pattern"), "the packaged copy is current");
        for (String pattern : routes().split(",")) {
            assertTrue(!pattern.contains("**"), pattern + ": Camel 4.18 cannot read a ** match inside a jar");
        }
        List<String> folders;
        try (Stream<Path> s = Files.list(Path.of("routes"))) {
            folders = s.filter(Files::isDirectory).map(p -> "classpath:routes/" + p.getFileName() + "/*.camel.yaml")
                    .sorted().toList();
        }
        assertEquals(folders, Stream.of(routes().split(",")).sorted().toList(),
                "one pattern per folder under routes/");
    }
}
