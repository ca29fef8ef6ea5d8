package jocker.steps;

import static jocker.i18n.Messages.tr;

/**
 * Lesson 5, PID namespace: lessons/en/05-pid-namespace.md
 *
 * clone(CLONE_NEWPID) makes the container's first process PID 1 of a new
 * numbering. It sees only its descendants, and when it exits the kernel kills
 * every other process of the namespace. `ps` shows this only once /proc is
 * mounted from inside the namespace (the proc step), because ps reads /proc.
 */
public final class PidNamespace extends NamespaceStep {
    public static final long CLONE_NEWPID = 0x20000000;

    public PidNamespace() {
        super("pid", CLONE_NEWPID);
    }

    @Override
    public String summary() {
        return tr("the command is PID 1 and sees only its own processes (CLONE_NEWPID)");
    }
}
