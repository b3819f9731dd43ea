package io.opcamel;

import io.opcamel.config.Settings;
import io.opcamel.events.EventsAccounts;
import io.opcamel.events.EventsFeedRoutes;
import io.opcamel.sandbox.Sandbox;
import io.opcamel.sandbox.SandboxConfig;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Camel Main's hook (camel.main.configuration-classes): starts the sandbox when the config asks for it, binds the
 * bundle's beans and hands Main the feed routes. Main itself loads the YAML routes and the properties files.
 */
public class BundleConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(BundleConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        var pc = context.getPropertiesComponent();
        if (new Settings(pc::resolveProperty).bool("onepassword.sandbox.enabled")) {
            // before the beans: the sandbox writes the token files the account settings read
            Sandbox sandbox = Sandbox.start(SandboxConfig.fromProperties(k -> pc.resolveProperty(k).orElse(null)));
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    sandbox.close();
                }
            }, true, true);
            LOG.info("Sandbox (a local 1Password, not the real one): Events API {}/api/v2, SCIM bridge {}, admin {}/__sandbox",
                    sandbox.baseUrl(), sandbox.bridgeUrl(), sandbox.baseUrl());
        }
        OnePasswordBundle.bindBeans(context);
        context.getRegistry().bind("eventsFeedRoutes", new EventsFeedRoutes(
                context.getRegistry().lookupByNameAndType("eventsAccounts", EventsAccounts.class)));
    }
}
