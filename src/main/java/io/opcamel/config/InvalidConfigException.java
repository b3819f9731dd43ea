package io.opcamel.config;

/** A configuration error that names the property at fault, so ops can fix it from the message alone. */
public class InvalidConfigException extends IllegalArgumentException {

    private final String property;

    public InvalidConfigException(String property, String problem) {
        super("property " + property + " " + problem);
        this.property = property;
    }

    public String property() {
        return property;
    }
}
