package io.opcamel.sandbox;

import java.util.concurrent.CountDownLatch;

/**
 * Runs the sandbox alone on loopback, for trying routes by hand or pointing another tool at it. Settings are the
 * {@code onepassword.sandbox.*} properties, given as system properties, e.g.
 * {@code -Donepassword.sandbox.port=8900 -Donepassword.sandbox.token-dir=data/sandbox}.
 */
public final class SandboxMain {

    private SandboxMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        SandboxConfig config = SandboxConfig.fromProperties(System::getProperty);
        if (System.getProperty(SandboxConfig.PREFIX + "port") == null) {
            config.port = 8900;
        }
        Sandbox sandbox = Sandbox.start(config);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stop.countDown();
        }, "sandbox-shutdown"));
        System.out.println("Events API:  " + sandbox.baseUrl() + "/api/v2/{signinattempts,itemusages,auditevents}");
        System.out.println("SCIM bridge: " + sandbox.bridgeUrl());
        System.out.println("Admin:       " + sandbox.baseUrl() + "/__sandbox/{faults/events,faults/scim,requests,tokens/events,tokens/bridge,reset}");
        if (config.tokenDir != null) {
            System.out.println("Tokens written to " + config.tokenDir.toAbsolutePath());
        } else {
            System.out.println("Tokens: POST " + sandbox.baseUrl() + "/__sandbox/tokens/events, GET /__sandbox/tokens/bridge");
        }
        stop.await();
    }
}
