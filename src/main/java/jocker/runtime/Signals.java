package jocker.runtime;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jocker.kernel.Host;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * What jocker does when it is signalled while a container runs, like `docker run`
 * with `docker stop`: SIGINT, SIGTERM and SIGHUP are passed on to the container's
 * first process; if it is still running {@value #GRACE_MILLIS} ms later (a PID 1
 * ignores signals it has no handler for), it is killed with SIGKILL. Either way
 * jocker then cleans up as after any run. Afterwards the handlers the JVM had
 * before come back: in the tutorial shell, Ctrl-C stops a container, never the shell.
 */
final class Signals {
    static final long GRACE_MILLIS = 3000;
    private static final int SIGKILL = 9;
    private static final List<String> FORWARDED = List.of("INT", "TERM", "HUP");

    private final Host host;
    private final Map<String, SignalHandler> before = new HashMap<>();
    private volatile long containerPid;
    private volatile int received;

    private Signals(Host host) {
        this.host = host;
    }

    static Signals install(Host host) {
        Signals signals = new Signals(host);
        for (String name : FORWARDED) {
            signals.before.put(name, Signal.handle(new Signal(name), signals::onSignal));
        }
        return signals;
    }

    /** Puts back the handlers there were before {@link #install}. */
    void restore() {
        before.forEach((name, handler) -> Signal.handle(new Signal(name), handler));
    }

    /** From now on signals go to this process. */
    void forwardTo(long pid) {
        containerPid = pid;
    }

    /** Whether a signal has arrived (before the release, the container is then not started). */
    boolean received() {
        return received != 0;
    }

    private void onSignal(Signal signal) {
        received = signal.getNumber();
        if (containerPid != 0) pass(received);
    }

    private void pass(int signal) {
        long pid = containerPid;
        host.kill(pid, signal);
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep(GRACE_MILLIS);
                if (containerPid == pid) host.kill(pid, SIGKILL);
            } catch (InterruptedException ignored) {
                // the container ended first
            }
        }, "jocker-kill-after-grace");
        killer.setDaemon(true);
        killer.start();
    }

    /** The container has ended: nothing left to signal. */
    void containerEnded() {
        containerPid = -1;
    }
}
