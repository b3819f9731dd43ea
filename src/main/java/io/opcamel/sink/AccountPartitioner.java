package io.opcamel.sink;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.utils.Utils;

/**
 * Puts every event of one account in the same partition of its feature's topic, so a feed stays in timestamp order
 * however many partitions the topic has, while the record key stays the event uuid. The account is read from the
 * record's envelope, which always starts with it.
 */
public final class AccountPartitioner implements Partitioner {

    private static final byte[] PREFIX = "{\"account\":\"".getBytes(StandardCharsets.UTF_8);

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        List<PartitionInfo> partitions = cluster.partitionsForTopic(topic);
        int n = partitions.size();
        if (n <= 1) {
            return 0;
        }
        return Utils.toPositive(Utils.murmur2(account(valueBytes))) % n;
    }

    static byte[] account(byte[] value) {
        if (value == null || value.length < PREFIX.length) {
            return new byte[0];
        }
        for (int i = 0; i < PREFIX.length; i++) {
            if (value[i] != PREFIX[i]) {
                return new byte[0];
            }
        }
        int end = PREFIX.length;
        while (end < value.length && value[end] != '"') {
            end++;
        }
        return java.util.Arrays.copyOfRange(value, PREFIX.length, end);
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // nothing to configure
    }

    @Override
    public void close() {
        // nothing held
    }
}
