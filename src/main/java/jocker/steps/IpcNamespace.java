package jocker.steps;

import static jocker.i18n.Messages.tr;

/**
 * Lesson 6, IPC namespace: lessons/en/06-ipc-namespace.md
 *
 * clone(CLONE_NEWIPC) gives the container its own System V shared memory,
 * semaphores and message queues (what `ipcs` lists), so it can neither see
 * nor attach to the host's. Nothing else to do: a new namespace starts empty.
 */
public final class IpcNamespace extends NamespaceStep {
    public static final long CLONE_NEWIPC = 0x08000000;

    public IpcNamespace() {
        super("ipc", CLONE_NEWIPC);
    }

    @Override
    public String summary() {
        return tr("own System V IPC objects (CLONE_NEWIPC)");
    }
}
