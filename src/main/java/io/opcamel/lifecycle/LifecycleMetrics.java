package io.opcamel.lifecycle;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/** Lifecycle commands by type, outcome and channel (rest, kafka, reconcile): {@code onepassword.lifecycle.commands}. */
public final class LifecycleMetrics {

    public static final String COMMANDS = "onepassword.lifecycle.commands";

    private final MeterRegistry registry;

    public LifecycleMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void counted(LifecycleRun run) {
        registry.counter(COMMANDS, "type", run.command == null ? "unreadable" : run.command.type().label(),
                "outcome", run.outcome.name().toLowerCase(Locale.ROOT), "channel", run.channel).increment();
    }
}
