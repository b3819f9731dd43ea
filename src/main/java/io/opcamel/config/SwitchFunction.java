package io.opcamel.config;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.spi.PropertiesFunction;

/**
 * {@code {{bool:onepassword.scim.gateway.enabled}}}: an on/off switch as the routes and Camel Main read it, parsed
 * by {@link Settings#bool} as the Java is, so {@code TRUE}, {@code True} and {@code true} mean the same everywhere and
 * anything else stops the start naming the key. A route's {@code precondition} is a simple expression, which reads
 * {@code TRUE} as an unknown token, and a string comparison with {@code 'true'} quietly reads it as off.
 * Found by Camel through META-INF/services/org/apache/camel/properties-function/bool, in Camel Main and an ESB alike.
 */
public final class SwitchFunction implements PropertiesFunction, CamelContextAware {

    private CamelContext context;

    @Override
    public String getName() {
        return "bool";
    }

    @Override
    public String apply(String key) {
        return Boolean.toString(new Settings(context.getPropertiesComponent()::resolveProperty).bool(key.trim()));
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }
}
