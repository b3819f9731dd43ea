package io.opcamel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opcamel.OnePasswordBundle;
import io.opcamel.TestTokens;
import io.opcamel.events.EventsAccounts;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ops override any property with an environment variable (upper case, dots and dashes as underscores). The test
 * JVM is started with ONEPASSWORD_EVENTS_ENVPROBE_LIMIT=7 (see the pom's surefire configuration).
 */
class EnvironmentOverrideTest {

    @Test
    void anEnvironmentVariableWinsOverConfiguredProperties(@TempDir Path dir) throws Exception {
        assertEquals("7", System.getenv(Secrets.envName("onepassword.events.envprobe.limit")));
        Properties p = new Properties();
        p.setProperty("onepassword.events.accounts", "envprobe");
        p.setProperty("onepassword.events.envprobe.token", TestTokens.allFeatures());
        p.setProperty("onepassword.events.envprobe.limit", "900");
        p.setProperty("onepassword.data-dir", dir.toString());
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setInitialProperties(p);
        context.setAutoStartup(false);
        OnePasswordBundle.install(context);
        EventsAccounts accounts = context.getRegistry().lookupByNameAndType("eventsAccounts", EventsAccounts.class);
        assertEquals(7, accounts.get("envprobe").limit());
        // and the packaged default applies where nothing else set a key
        assertEquals("0/30 * * * * ?", accounts.get("envprobe").cron());
    }
}
