package io.qsockets.impl.runtime;

import io.qsockets.spi.PacketSchedulerProvider;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The scheduler disciplines found through {@link ServiceLoader}, by name. Immutable. */
final class SchedulerCatalog {
    private final Map<String, PacketSchedulerProvider> byName;

    private SchedulerCatalog(Map<String, PacketSchedulerProvider> byName) {
        this.byName = byName;
    }

    static SchedulerCatalog load() {
        Map<String, PacketSchedulerProvider> found = new TreeMap<>();
        for (PacketSchedulerProvider p : ServiceLoader.load(PacketSchedulerProvider.class,
                SchedulerCatalog.class.getClassLoader())) {
            found.putIfAbsent(p.name(), p);
        }
        return new SchedulerCatalog(Map.copyOf(found));
    }

    List<String> names() {
        return List.copyOf(new TreeMap<>(byName).keySet());
    }

    /** @throws IllegalArgumentException listing the known names if {@code name} is not one */
    PacketSchedulerProvider get(String name) {
        PacketSchedulerProvider p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("unknown scheduler '" + name + "'; known schedulers: "
                    + (byName.isEmpty() ? "none (add io.qsockets:dwcs-scheduler to the class path)" : names()));
        }
        return p;
    }
}
