package io.qsockets.impl.facade;

import static org.assertj.core.api.Assertions.assertThat;

import io.qsockets.Segment;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReader;
import java.lang.module.ModuleReference;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.DatagramPacket;
import java.net.SocketException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The machinery of {@link ApiMisuseTest}: the enumeration of a module's public API by reflection,
 * the misuse specs of its members, and the cases they expand to.
 */
final class MisuseCases {
    /** A message that says what is allowed. */
    private static final Pattern ALLOWED = Pattern.compile("(?i)must|between|at most|at least|larger than|only");

    private MisuseCases() {
    }

    /** Makes an argument or a receiver; what it opens goes into the resources. */
    @FunctionalInterface
    interface Fn {
        Object apply(Resources r) throws Exception;
    }

    /** What a case's resources are: closed, newest first, when the case ends. */
    static final class Resources implements AutoCloseable {
        private final Deque<AutoCloseable> open = new ArrayDeque<>();

        <T> T add(T value) {
            if (value instanceof AutoCloseable c) {
                open.push(c);
            }
            return value;
        }

        @Override
        public void close() throws IOException {
            IOException failure = null;
            while (!open.isEmpty()) {
                try {
                    open.pop().close();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = new IOException("closing what a case opened", e);
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** What a call must do. */
    record Expect(String description, BiConsumer<Object, Throwable> check) {
        /** A SocketException or IllegalStateException saying "closed", or a ClosedChannelException. */
        static final Expect CLOSED = new Expect("a closed-socket exception", (result, thrown) -> {
            assertThat(thrown).as("returned %s", result).isNotNull();
            if (!(thrown instanceof ClosedChannelException)) {
                assertThat(thrown).isInstanceOfAny(SocketException.class, IllegalStateException.class)
                        .message().containsIgnoringCase("closed");
            }
        });

        static Expect returns() {
            return new Expect("returns", (result, thrown) -> assertThat(thrown).as("thrown").isNull());
        }

        static Expect returnsValue(Object expected) {
            return new Expect("returns " + expected, (result, thrown) -> {
                assertThat(thrown).as("thrown").isNull();
                assertThat(result).isEqualTo(expected);
            });
        }

        /** A NullPointerException or IllegalArgumentException naming the parameter. */
        static Expect nullRejected(String name) {
            return new Expect("NPE or IAE naming '" + name + "'", (result, thrown) ->
                    assertThat(thrown).as("returned %s", result)
                            .isInstanceOfAny(NullPointerException.class, IllegalArgumentException.class)
                            .message().isNotNull().containsIgnoringCase(name));
        }

        /**
         * An IllegalArgumentException whose message holds one of {@code mentions} (the parameter or
         * the value) and says what is allowed.
         */
        static Expect invalid(String... mentions) {
            return new Expect("IAE naming " + Arrays.toString(mentions) + " and what is allowed", (result, thrown) -> {
                assertThat(thrown).as("returned %s", result).isInstanceOf(IllegalArgumentException.class);
                String message = thrown.getMessage();
                assertThat(message).isNotNull();
                assertThat(Stream.of(mentions).anyMatch(m -> !m.isBlank()
                        && message.toLowerCase().contains(m.toLowerCase())))
                        .as("'%s' names one of %s", message, Arrays.toString(mentions)).isTrue();
                assertThat(ALLOWED.matcher(message).find()).as("'%s' says what is allowed", message).isTrue();
            });
        }

        /** An IOException naming the datagram's size and the limit. */
        static Expect oversized(long size, int limit) {
            return new Expect("IOException naming " + size + " and " + limit, (result, thrown) ->
                    assertThat(thrown).as("returned %s", result).isInstanceOf(IOException.class)
                            .hasMessageContainingAll(Long.toString(size), Integer.toString(limit)));
        }

        /** An exception a JDK contract specifies whose type says it all (the JDK's own has no message). */
        static Expect thrown(Class<? extends Throwable> type) {
            return new Expect(type.getSimpleName(), (result, thrown) ->
                    assertThat(thrown).as("returned %s", result).isInstanceOf(type));
        }

        /** An exception a JDK contract specifies, with {@code mention} in its message. */
        static Expect thrown(Class<? extends Throwable> type, String mention) {
            return new Expect(type.getSimpleName() + " naming '" + mention + "'", (result, thrown) ->
                    assertThat(thrown).as("returned %s", result).isInstanceOf(type).hasMessageContaining(mention));
        }
    }

    /** One bad value of a parameter, and what it must get. */
    record Bad(String label, Fn value, Expect expect) {
    }

    /** One parameter: its name in messages, a valid value, and its bad values. */
    static final class Arg {
        final String name;
        final Fn valid;
        final boolean reference;
        final List<Bad> bad = new ArrayList<>();
        boolean nullAccepted;
        String nullNotRun;
        /** Why a number has no bad value; null if it must have some. */
        String anyValue;

        private Arg(String name, Fn valid, boolean reference) {
            this.name = name;
            this.valid = valid;
            this.reference = reference;
        }

        /** A reference parameter; null must be rejected naming {@code name}. */
        static Arg ref(String name, Object valid) {
            return new Arg(name, r -> valid, true);
        }

        /** A reference parameter whose valid value is made per case. */
        static Arg ref(String name, Fn valid) {
            return new Arg(name, valid, true);
        }

        /** A primitive parameter; each of {@code bad} must be rejected naming it or the value. */
        static Arg num(String name, Object valid, Object... bad) {
            return new Arg(name, r -> valid, false).invalid(bad);
        }

        /** A number that is a measurement: a report holds whatever was measured. */
        static Arg measured() {
            Arg arg = new Arg("measurement", r -> 0, false);
            arg.anyValue = "a measurement";
            return arg;
        }

        /** A boolean: no value is invalid. */
        static Arg flag() {
            Arg arg = new Arg("flag", r -> true, false);
            arg.anyValue = "a boolean";
            return arg;
        }

        /** Null is a documented value: the call must return. */
        Arg nullAccepted() {
            nullAccepted = true;
            return this;
        }

        /** Null is a documented value, but the call is not made, for {@code reason}. */
        Arg nullNotRun(String reason) {
            nullNotRun = reason;
            return this;
        }

        /** Values rejected with an IllegalArgumentException naming the parameter or the value. */
        Arg invalid(Object... values) {
            for (Object v : values) {
                bad.add(new Bad(render(v), r -> v, Expect.invalid(name, render(v))));
            }
            return this;
        }

        /** Offsets and lengths out of bounds: IndexOutOfBoundsException, as the JDK's channels specify. */
        Arg outOfBounds(Object... values) {
            for (Object v : values) {
                bad.add(new Bad(render(v), r -> v, Expect.thrown(IndexOutOfBoundsException.class, render(v))));
            }
            return this;
        }

        /** A datagram larger than {@code limit}. */
        Arg oversized(String label, Fn value, long size, int limit) {
            return rejects(label, value, Expect.oversized(size, limit));
        }

        Arg rejects(String label, Fn value, Expect expect) {
            bad.add(new Bad(label, value, expect));
            return this;
        }
    }

    /** How one public member is misused; keyed like {@code "PacketFlags.Builder.deadline(Duration)"}. */
    static final class Spec {
        private final String key;
        private final Fn receiver;
        private final Arg[] args;
        private final List<Bad> calls = new ArrayList<>();
        private final List<Fn[]> callArgs = new ArrayList<>();
        private Expect afterClose;

        private Spec(String key, Fn receiver, Arg[] args) {
            this.key = key;
            this.receiver = receiver;
            this.args = args;
        }

        /** A constructor or static method. */
        static Spec of(String key, Arg... args) {
            return new Spec(key, null, args);
        }

        /** An instance method of what {@code receiver} makes. */
        static Spec on(String key, Fn receiver, Arg... args) {
            return new Spec(key, receiver, args);
        }

        String key() {
            return key;
        }

        /** What the call with valid arguments does on a closed receiver (a final segment). */
        Spec afterClose(Expect expect) {
            afterClose = expect;
            return this;
        }

        /** One more call, with all of its arguments given. */
        Spec also(String label, Expect expect, Fn... arguments) {
            calls.add(new Bad(label, null, expect));
            callArgs.add(arguments);
            return this;
        }
    }

    /** One call and what it must do. */
    static final class Case {
        private final String name;
        private final Executable target;
        private final Fn receiver;
        private final boolean closeReceiver;
        private final Fn[] args;
        private final Expect expect;

        Case(String name, Executable target, Fn receiver, boolean closeReceiver, Fn[] args, Expect expect) {
            this.name = name;
            this.target = target;
            this.receiver = receiver;
            this.closeReceiver = closeReceiver;
            this.args = args;
            this.expect = expect;
        }

        void run(Resources r) throws Exception {
            Object self = receiver == null ? null : receiver.apply(r);
            if (closeReceiver) {
                close(self);
            }
            Object[] values = new Object[args.length];
            for (int i = 0; i < args.length; i++) {
                values[i] = args[i].apply(r);
            }
            Object result = null;
            Throwable thrown = null;
            try {
                if (target instanceof Constructor<?> c) {
                    result = r.add(c.newInstance(values));
                } else if (Modifier.isStatic(target.getModifiers())) {
                    result = r.add(((Method) target).invoke(null, values)); // a new socket, channel or engine
                } else {
                    result = ((Method) target).invoke(self, values);
                }
            } catch (InvocationTargetException e) {
                thrown = e.getCause();
            }
            try {
                expect.check().accept(result, thrown);
            } catch (AssertionError e) {
                throw new AssertionError(this + ": " + e.getMessage(), thrown);
            }
        }

        private static void close(Object receiver) throws Exception {
            if (receiver instanceof Segment s) {
                s.cancel();
            } else {
                ((AutoCloseable) receiver).close();
            }
        }

        @Override
        public String toString() {
            return name + " -> " + expect.description();
        }
    }

    /** Why a member needs no spec. */
    enum Rule {
        OBJECT("equals, hashCode, toString and Object's final methods: java.lang.Object's contracts"),
        JDK("inherited unchanged from the JDK, which checks the arguments (DatagramSocket, DatagramChannel's "
                + "final methods, AbstractSelectableChannel, Throwable, Enum)"),
        ENUM("values() and valueOf(String), generated by javac; Enum.valueOf checks the name"),
        NO_INPUT("no argument to misuse (none, or booleans only) and no receiver that closes");

        final String reason;

        Rule(String reason) {
            this.reason = reason;
        }
    }

    /** The enumerated API, what covers each member, and the cases. */
    static final class Plan {
        private final List<Class<?>> types = new ArrayList<>();
        private int members;
        private int exercised;
        private final Map<String, String> exemptions = new TreeMap<>();
        private final Map<Rule, Integer> ruled = new EnumMap<>(Rule.class);
        private final List<String> uncovered = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private final List<String> notRun = new ArrayList<>();
        private final List<Case> cases = new ArrayList<>();

        /**
         * @param anchor a class of the module whose exported package {@code anchor}'s is enumerated
         * @param implementations the class whose code runs for an abstract API type's members
         */
        static Plan of(Class<?> anchor, Map<Class<?>, Class<?>> implementations, Map<String, Spec> specs,
                Map<String, String> exempt) {
            Plan plan = new Plan();
            Map<String, Spec> unused = new LinkedHashMap<>(specs);
            Set<String> unusedExemptions = new TreeSet<>(exempt.keySet());
            plan.types.addAll(publicTypes(anchor));
            for (Class<?> type : plan.types) {
                for (Executable member : publicMembers(type)) {
                    plan.members++;
                    String key = key(type, member);
                    Rule rule = rule(type, member, implementations.getOrDefault(type, type));
                    Spec spec = unused.remove(key);
                    if (spec != null && rule == Rule.NO_INPUT) {
                        rule = null; // a spec says more than the rule
                    }
                    if (rule != null) {
                        plan.ruled.merge(rule, 1, Integer::sum);
                        if (spec != null) {
                            plan.problems.add(key + ": has a spec, but " + rule.reason);
                        }
                    } else if (spec != null) {
                        plan.exercised++;
                        plan.expand(type, member, spec);
                    } else if (unusedExemptions.remove(key)) {
                        plan.exemptions.put(key, exempt.get(key));
                    } else {
                        plan.uncovered.add(key);
                    }
                }
            }
            unused.keySet().forEach(k -> plan.problems.add(k + ": spec for no public member"));
            unusedExemptions.forEach(k -> plan.problems.add(k + ": exemption for no public member"));
            return plan;
        }

        private void expand(Class<?> type, Executable member, Spec spec) {
            String key = spec.key;
            Class<?>[] parameters = member.getParameterTypes();
            boolean instance = member instanceof Method m && !Modifier.isStatic(m.getModifiers());
            if (spec.args.length != parameters.length) {
                problems.add(key + ": " + spec.args.length + " args for " + parameters.length + " parameters");
                return;
            }
            if (instance != (spec.receiver != null)) {
                problems.add(key + (instance ? ": an instance method without a receiver" : ": a receiver, but static"));
                return;
            }
            int before = cases.size();
            Fn[] valid = Arrays.stream(spec.args).map(a -> a.valid).toArray(Fn[]::new);
            for (int i = 0; i < parameters.length; i++) {
                Arg arg = spec.args[i];
                if (arg.reference != !parameters[i].isPrimitive()) {
                    problems.add(key + ": argument " + i + " is a " + parameters[i].getSimpleName());
                    continue;
                }
                if (arg.reference && arg.nullNotRun != null) {
                    notRun.add(key + " " + arg.name + " = null: " + arg.nullNotRun);
                } else if (arg.reference) {
                    add(key + ": " + arg.name + " = null", member, spec.receiver, false, with(valid, i, r -> null),
                            arg.nullAccepted ? Expect.returns() : Expect.nullRejected(arg.name));
                } else if (arg.bad.isEmpty() && arg.anyValue == null) {
                    problems.add(key + ": " + arg.name + " has no bad value and no reason to accept any");
                }
                for (Bad bad : arg.bad) {
                    add(key + ": " + arg.name + " = " + bad.label(), member, spec.receiver, false,
                            with(valid, i, bad.value()), bad.expect());
                }
            }
            for (int i = 0; i < spec.calls.size(); i++) {
                add(key + ": " + spec.calls.get(i).label(), member, spec.receiver, false, spec.callArgs.get(i),
                        spec.calls.get(i).expect());
            }
            if (instance && closes(type)) {
                if (spec.afterClose == null) {
                    problems.add(key + ": no expectation after close");
                } else {
                    add(key + ": on a closed " + type.getSimpleName(), member, spec.receiver, true, valid,
                            spec.afterClose);
                }
            } else if (spec.afterClose != null) {
                problems.add(key + ": an expectation after close, but " + type.getSimpleName() + " does not close");
            }
            if (cases.size() == before && notRun.stream().noneMatch(n -> n.startsWith(key + " "))) {
                problems.add(key + ": the spec makes no case; exempt the member instead");
            }
        }

        private void add(String name, Executable member, Fn receiver, boolean closed, Fn[] args, Expect expect) {
            cases.add(new Case(name, member, receiver, closed, args, expect));
        }

        private static Fn[] with(Fn[] valid, int index, Fn value) {
            Fn[] args = valid.clone();
            args[index] = value;
            return args;
        }

        List<Case> cases() {
            return cases;
        }

        List<String> typeNames() {
            return types.stream().map(MisuseCases::typeName).collect(Collectors.toList());
        }

        int members() {
            return members;
        }

        int exercised() {
            return exercised;
        }

        int exempted() {
            return exemptions.size();
        }

        int ruled() {
            return ruled.values().stream().mapToInt(Integer::intValue).sum();
        }

        List<String> uncovered() {
            return uncovered;
        }

        List<String> problems() {
            return problems;
        }

        String summary() {
            StringBuilder s = new StringBuilder();
            s.append(types.size()).append(" public types, ").append(members).append(" public members: ")
                    .append(exercised).append(" exercised in ").append(cases.size()).append(" cases, ")
                    .append(ruled()).append(" covered by a rule, ").append(exempted()).append(" exempted\n");
            ruled.forEach((rule, n) -> s.append("  ").append(n).append(" ").append(rule).append(": ")
                    .append(rule.reason).append('\n'));
            exemptions.forEach((key, why) -> s.append("  exempt: ").append(key).append(": ").append(why).append('\n'));
            notRun.forEach(n -> s.append("  not run: ").append(n).append('\n'));
            return s.toString();
        }
    }

    /** The public types of {@code anchor}'s package, which its module must export to everyone. */
    static List<Class<?>> publicTypes(Class<?> anchor) {
        String pkg = anchor.getPackageName();
        try {
            Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            ModuleReference module = ModuleFinder.of(location).findAll().iterator().next();
            assertThat(module.descriptor().exports()).as("%s exported", pkg)
                    .anyMatch(e -> e.source().equals(pkg) && !e.isQualified());
            try (ModuleReader reader = module.open()) {
                String prefix = pkg.replace('.', '/') + '/';
                List<Class<?>> types = new ArrayList<>();
                for (String name : reader.list().collect(Collectors.toList())) {
                    String rest = name.startsWith(prefix) && name.endsWith(".class")
                            ? name.substring(prefix.length(), name.length() - ".class".length()) : "";
                    if (!rest.isEmpty() && !rest.contains("/") && !rest.equals("package-info")) {
                        Class<?> type = Class.forName(pkg + "." + rest, false, anchor.getClassLoader());
                        if (isAccessible(type)) {
                            types.add(type);
                        }
                    }
                }
                types.sort(Comparator.comparing(MisuseCases::typeName));
                return types;
            }
        } catch (IOException | URISyntaxException | ClassNotFoundException e) {
            throw new AssertionError("cannot list the classes of " + pkg, e);
        }
    }

    private static boolean isAccessible(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getEnclosingClass()) {
            if (!Modifier.isPublic(c.getModifiers()) || c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic()) {
                return false;
            }
        }
        return true;
    }

    /** Public constructors and methods, one per signature (the most specific), without bridges. */
    static List<Executable> publicMembers(Class<?> type) {
        Map<String, Executable> bySignature = new LinkedHashMap<>();
        for (Constructor<?> c : type.getConstructors()) {
            bySignature.put(signature(c), c);
        }
        for (Method m : type.getMethods()) {
            if (m.isBridge() || m.isSynthetic()) {
                continue;
            }
            bySignature.merge(signature(m), m, (a, b) ->
                    ((Method) a).getDeclaringClass().isAssignableFrom(((Method) b).getDeclaringClass()) ? b : a);
        }
        List<Executable> list = new ArrayList<>(bySignature.values());
        list.sort(Comparator.comparing(MisuseCases::signature));
        return list;
    }

    private static Rule rule(Class<?> type, Executable member, Class<?> implementation) {
        if (!(member instanceof Method m)) {
            return member.getParameterCount() == 0 ? Rule.NO_INPUT : null;
        }
        String signature = signature(m);
        if (m.getDeclaringClass() == Object.class || signature.equals("equals(Object)")
                || signature.equals("hashCode()") || signature.equals("toString()")) {
            return Rule.OBJECT;
        }
        if (type.isEnum() && Modifier.isStatic(m.getModifiers())
                && (signature.equals("values()") || signature.equals("valueOf(String)"))) {
            return Rule.ENUM;
        }
        if (!implementedBy(implementation, m).getPackageName().startsWith("io.qsockets")) {
            return Rule.JDK;
        }
        boolean receiverCloses = !Modifier.isStatic(m.getModifiers()) && closes(type);
        boolean noInput = Arrays.stream(m.getParameterTypes()).allMatch(p -> p == boolean.class);
        return noInput && !receiverCloses ? Rule.NO_INPUT : null;
    }

    private static Class<?> implementedBy(Class<?> implementation, Method m) {
        try {
            return implementation.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass();
        } catch (NoSuchMethodException e) {
            return m.getDeclaringClass();
        }
    }

    /** Whether instances of {@code type} can be closed (or, for a segment, made final). */
    static boolean closes(Class<?> type) {
        return AutoCloseable.class.isAssignableFrom(type) || type == Segment.class;
    }

    static String key(Class<?> type, Executable member) {
        return typeName(type) + "." + (member instanceof Constructor<?> ? "new" : "") + signature(member);
    }

    private static String signature(Executable member) {
        String parameters = Arrays.stream(member.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", "));
        return (member instanceof Constructor<?> ? "" : member.getName()) + "(" + parameters + ")";
    }

    static String typeName(Class<?> type) {
        return type.getEnclosingClass() == null ? type.getSimpleName()
                : typeName(type.getEnclosingClass()) + "." + type.getSimpleName();
    }

    /** How a value appears in a message. */
    static String render(Object value) {
        if (value instanceof byte[] b) {
            return b.length + " bytes";
        }
        if (value instanceof ByteBuffer b) {
            return b.remaining() + " bytes";
        }
        if (value instanceof DatagramPacket p) {
            return p.getLength() + " bytes";
        }
        if (value instanceof String s) {
            return "'" + s + "'";
        }
        return Objects.toString(value);
    }
}
