package io.qsockets.impl.fuzz;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.Buffer;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A measure of the state an object graph holds: every reachable object counts one, arrays also
 * their length, JDK collections and maps their size. Fields are followed only in qsockets classes
 * (outside this package, whose harnesses are not the state under test); JDK objects are leaves,
 * buffers and enum constants do not count (flyweights point at packets they do not own, a buffer's
 * size is fixed, and constants are shared).
 * If a component kept something per packet, the measure would grow with the packets.
 */
final class Footprint {

    private Footprint() {
    }

    static long of(Object root) {
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        Deque<Object> todo = new ArrayDeque<>();
        todo.push(root);
        long size = 0;
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            if (seen.put(o, Boolean.TRUE) != null) {
                continue;
            }
            size++;
            Class<?> c = o.getClass();
            if (c.isArray()) {
                int n = Array.getLength(o);
                size += n;
                if (!c.getComponentType().isPrimitive()) {
                    for (int i = 0; i < n; i++) {
                        push(todo, Array.get(o, i));
                    }
                }
            } else if (o instanceof Collection<?> coll) {
                size += coll.size();
            } else if (o instanceof Map<?, ?> map) {
                size += map.size();
            } else if (c.getName().startsWith("io.qsockets.") && !c.getPackageName().equals(Footprint.class.getPackageName())) {
                for (Class<?> k = c; k != null && k.getName().startsWith("io.qsockets."); k = k.getSuperclass()) {
                    for (Field f : k.getDeclaredFields()) {
                        if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                            f.setAccessible(true);
                            push(todo, read(f, o));
                        }
                    }
                }
            }
        }
        return size;
    }

    private static void push(Deque<Object> todo, Object o) {
        if (o != null && !(o instanceof Buffer) && !(o instanceof Enum<?>)) {
            todo.push(o);
        }
    }

    private static Object read(Field f, Object o) {
        try {
            return f.get(o);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read " + f, e);
        }
    }
}
