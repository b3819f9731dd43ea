package io.opcamel.sandbox;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox profile's one hook into Camel Main: the profile (config/application-sandbox.properties) lists this class
 * before the bundle's own in {@code camel.main.configuration-classes}, so that the sandbox is up, and has written the
 * token files the account settings read, before the bundle's beans are made. No production class knows it exists.
 */
public class SandboxConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        var pc = context.getPropertiesComponent();
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
}
