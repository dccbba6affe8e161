package com.tokenwallet.domain.service;

import java.util.LinkedHashMap;
import java.util.Map;

/** A map in access order that drops its least recently used entry beyond {@code capacity}. Not thread-safe. */
final class BoundedLru<K, V> extends LinkedHashMap<K, V> {
    private final int capacity;

    BoundedLru(int capacity) {
        super(Math.min(capacity, 1024), 0.75f, true);
        this.capacity = capacity;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
    }
}
