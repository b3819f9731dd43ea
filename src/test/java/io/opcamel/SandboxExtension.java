package io.opcamel;

import io.opcamel.sandbox.Sandbox;
import io.opcamel.sandbox.SandboxConfig;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A sandbox for one test class, on a free loopback port: started before its first test, closed after its last.
 * {@code @RegisterExtension static final SandboxExtension SANDBOX = SandboxExtension.finite(750);}
 */
public final class SandboxExtension implements BeforeAllCallback, AfterAllCallback {

    private final SandboxConfig config;
    private Sandbox sandbox;

    private SandboxExtension(SandboxConfig config) {
        this.config = config;
    }

    /** Every feed holds exactly {@code events} events, all there before the first poll. */
    public static SandboxExtension finite(int events) {
        SandboxConfig c = new SandboxConfig();
        c.backlog = events;
        c.maxEvents = events;
        c.eventsPerSecond = 1000;
        return new SandboxExtension(c);
    }

    /** The same, with a further change to the config (rate windows, accounts...). */
    public SandboxExtension with(Consumer<SandboxConfig> change) {
        change.accept(config);
        return this;
    }

    public Sandbox get() {
        return sandbox;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        sandbox = Sandbox.start(config);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        sandbox.close();
    }
}
