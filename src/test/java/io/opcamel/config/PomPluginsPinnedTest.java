package io.opcamel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Every plugin the build uses has a version in pom.xml: a plugin Maven adds by itself (the default lifecycle's
 * clean, resources, install, deploy, site) or one declared without a version resolves to Maven's own old default,
 * which an offline {@code mvn -o install} (how an ESB team adds the jar to its build) has not cached.
 */
class PomPluginsPinnedTest {

    /** The plugins Maven binds to a jar project's clean, default and site lifecycles without being told. */
    static final List<String> LIFECYCLE = List.of("maven-clean-plugin", "maven-resources-plugin",
            "maven-compiler-plugin", "maven-surefire-plugin", "maven-jar-plugin", "maven-install-plugin",
            "maven-deploy-plugin", "maven-site-plugin");

    @Test
    void everyBuildPluginHasAVersion() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        Element build = child(pom.getDocumentElement(), "build");
        // the main build's plugins and pluginManagement give the versions a profile's plugin may inherit
        Map<String, String> pinned = new TreeMap<>();
        for (Element plugin : plugins(build)) {
            String version = text(plugin, "version");
            if (version != null) {
                pinned.put(coordinates(plugin), version);
            }
        }
        List<String> unpinned = new ArrayList<>();
        NodeList all = pom.getElementsByTagName("plugin");
        for (int i = 0; i < all.getLength(); i++) {
            Element plugin = (Element) all.item(i);
            if (text(plugin, "version") == null && !pinned.containsKey(coordinates(plugin))) {
                unpinned.add(coordinates(plugin));
            }
        }
        for (String artifact : LIFECYCLE) {
            if (!pinned.containsKey("org.apache.maven.plugins:" + artifact)) {
                unpinned.add("org.apache.maven.plugins:" + artifact + " (a default lifecycle plugin)");
            }
        }
        assertEquals(List.of(), unpinned, "plugins without a version in pom.xml's <build>");
    }

    static List<Element> plugins(Element build) {
        List<Element> found = new ArrayList<>();
        for (Element holder : new Element[] {build, child(build, "pluginManagement")}) {
            Element plugins = holder == null ? null : child(holder, "plugins");
            if (plugins == null) {
                continue;
            }
            for (Node n = plugins.getFirstChild(); n != null; n = n.getNextSibling()) {
                if (n instanceof Element e && e.getTagName().equals("plugin")) {
                    found.add(e);
                }
            }
        }
        return found;
    }

    static String coordinates(Element plugin) {
        String group = text(plugin, "groupId");
        return (group == null ? "org.apache.maven.plugins" : group) + ":" + text(plugin, "artifactId");
    }

    static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }
}
