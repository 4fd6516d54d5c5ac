package io.paralleltranslation.ratelimit;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * An item's size as DynamoDB bills it (write units per started KB): each attribute's name plus its
 * value, by the rules of the developer guide's "Item sizes and formats" (strings: UTF-8 bytes;
 * numbers: about one byte per two significant digits plus one; maps: 3 bytes plus their entries
 * plus one byte per entry).
 */
final class ItemSize {
    private ItemSize() {}

    static long bytes(Map<String, AttributeValue> item) {
        long total = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            total += utf8(e.getKey()) + value(e.getValue());
        }
        return total;
    }

    private static long value(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        }
        if (v.n() != null) {
            String digits = new BigDecimal(v.n()).unscaledValue().abs().toString().replaceAll("^0+|0+$", "");
            return (Math.max(1, digits.length()) + 1) / 2 + 1;
        }
        if (v.hasM()) {
            long size = 3;
            for (Map.Entry<String, AttributeValue> e : v.m().entrySet()) {
                size += utf8(e.getKey()) + value(e.getValue()) + 1;
            }
            return size;
        }
        return 1;
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
