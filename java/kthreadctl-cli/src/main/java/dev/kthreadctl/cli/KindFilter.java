// SPDX-License-Identifier: Apache-2.0
package dev.kthreadctl.cli;

import dev.kthreadctl.proc.KthreadKind;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine;

/**
 * A {@code --kind} value: a kind's own name, or a family ({@code kworker},
 * {@code rcu}, {@code percpu}), and the kinds it stands for.
 */
record KindFilter(Set<KthreadKind> kinds) {
    static final String CANDIDATES = "kworker, ksoftirqd, migration, cpuhp, idle_inject, ktimers, rcu, irq,"
            + " kthreadd, percpu, other, or any kind's own name (kworker_unbound, rcu_gp, …)";

    /** Turns a {@code --kind} argument into its kinds; an unknown one is a usage error. */
    static final class Converter implements CommandLine.ITypeConverter<KindFilter> {
        @Override
        public KindFilter convert(String value) {
            try {
                return new KindFilter(parse(value));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    static Set<KthreadKind> parse(String value) {
        String wanted = value.toLowerCase(Locale.ROOT);
        EnumSet<KthreadKind> kinds = EnumSet.noneOf(KthreadKind.class);
        for (KthreadKind kind : KthreadKind.values()) {
            String name = kind.name().toLowerCase(Locale.ROOT);
            if (name.equals(wanted) || name.startsWith(wanted + "_")
                    || (wanted.equals("percpu") && kind.perCpu())) {
                kinds.add(kind);
            }
        }
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("unknown kind '" + value + "': use " + CANDIDATES);
        }
        return kinds;
    }
}
