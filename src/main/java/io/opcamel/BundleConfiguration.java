package io.opcamel;

import io.opcamel.events.EventsAccounts;
import io.opcamel.events.EventsFeedRoutes;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * Camel Main's hook (camel.main.configuration-classes): binds the bundle's beans and hands Main the feed routes (the
 * sandbox profile lists its own hook before this one). Main itself loads the YAML routes and the properties files.
 */
public class BundleConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        OnePasswordBundle.bindBeans(context);
        context.getRegistry().bind("eventsFeedRoutes", new EventsFeedRoutes(
                context.getRegistry().lookupByNameAndType("eventsAccounts", EventsAccounts.class)));
    }
}
