package io.opcamel.bridge;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * What a step takes back from a bridge call it ran as an exchange of its own (call-scim-bridge's caller, each try's
 * HTTP call): the answer as the body (or, if the call failed otherwise than with the bridge's answer, its failure),
 * and nothing else: the call's headers, properties, variables and Camel's redelivery state stay with it.
 */
public final class BridgeAnswerOnly implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange caller, Exchange call) {
        if (call.getException() != null) {
            caller.setException(call.getException());
        } else {
            caller.getMessage().setBody(call.getMessage().getBody());
        }
        return caller;
    }
}
