package jocker.kernel;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;
import static jocker.i18n.Messages.tr;
import static jocker.kernel.Trace.octal;
import static jocker.kernel.Trace.quote;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import jnr.ffi.Runtime;
import jocker.JockerException;

/**
 * The host side of the kernel: what the jocker process itself does outside the
 * container (directories for the overlay, cgroup files, uid maps, starting the
 * clone helper, signals). Traced like {@link Kernel}.
 *
 * <p>Most calls go through the JDK, which makes exactly these syscalls
 * (java.nio.file: mkdir, chmod, open, write, read, rename, unlink, rmdir)
 * and starts processes. Binding libc through jnr-ffi costs about 50 ms
 * of a start (README.md, Performance), so {@link LibC} is bound only for what
 * the JDK cannot do: chown with both ids at once, kill with any signal, and the
 * names of errnos for the trace and for errors. The JDK does not say which
 * number the kernel gave a file, so the trace writes {@code fd}.
 */
public final class Host {
    private static final int EEXIST = 17;

    public Host() {
        // A traced run names the errno of each refused call (the container's mkdir of an existing /proc ...):
        // it binds libc now, a stage of its own in bench/startup.sh, not in the middle of a container's set-up.
        if (Trace.enabled()) LibC.get();
    }

    /** A syscall the JDK makes for jocker; an IOException is the kernel's refusal. */
    private interface JdkCall<T> {
        T run() throws IOException;
    }

    /** A syscall with no result but 0. */
    private interface JdkAction {
        void run() throws IOException;
    }

    /** Whether this process runs as root: its effective uid, as /proc/self/status says (geteuid would bind libc). */
    public boolean isRoot() {
        try {
            return effectiveUid(Files.readAllLines(Path.of("/proc/self/status"))).equals(Optional.of("0"));
        } catch (IOException e) {
            return false; // no procfs: not a machine jocker can run containers on anyway
        }
    }

    /** The effective uid from the lines of /proc/PID/status: "Uid:" then the real, effective, saved and filesystem uids. */
    public static Optional<String> effectiveUid(List<String> status) {
        for (String line : status) {
            if (line.startsWith("Uid:")) return Optional.of(line.split("\\s+")[2]);
        }
        return Optional.empty();
    }

    /** mkdir(2) with exactly this mode (umask does not apply, thanks to the chmod). */
    public void mkdir(Path dir, int mode) {
        Set<PosixFilePermission> permissions = permissions(mode);
        call(Trace.format("mkdir", quote(dir.toString()), octal(mode)),
                () -> Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(permissions)));
        call(Trace.format("chmod", quote(dir.toString()), octal(mode)),
                () -> Files.setPosixFilePermissions(dir, permissions));
    }

    /**
     * mkdir -p of the directories above a container's state: they stay between
     * runs. Two jockers starting together on a fresh machine both find one
     * missing; the one that loses the race gets EEXIST, which is fine.
     */
    public void mkdirs(Path dir, int mode) {
        if (Files.isDirectory(dir)) return;
        mkdirs(dir.getParent(), mode);
        try {
            mkdir(dir, mode);
        } catch (SyscallException e) {
            if (e.errno() != EEXIST || !Files.isDirectory(dir)) throw e;
        }
    }

    /** rename(2): atomic, so others see the old file or the new one, never half of one. */
    public void rename(Path from, Path to) {
        call(Trace.format("rename", quote(from.toString()), quote(to.toString())),
                () -> Files.move(from, to, StandardCopyOption.ATOMIC_MOVE));
    }

    /** chown(2) through libc: the JDK would set the owner and the group in two calls. */
    public void chown(Path path, int uid, int gid) {
        check(Trace.format("chown", quote(path.toString()), uid, gid), LibC.get().chown(path.toString(), uid, gid));
    }

    /**
     * Writes the text with a single write(2): files like uid_map accept exactly
     * one. With a mode, the file is new and made with that mode from the start
     * (spec.json may hold secrets in its environment); with 0, it is replaced
     * as `echo TEXT > FILE` would (a kernel file like uid_map keeps its mode).
     */
    public void writeFile(Path file, String text, int mode) {
        writeFile(file, text.getBytes(StandardCharsets.UTF_8), mode);
    }

    public void writeFile(Path file, byte[] bytes, int mode) {
        boolean create = mode != 0;
        Set<StandardOpenOption> options = create ? Set.of(WRITE, CREATE_NEW) : Set.of(WRITE, CREATE, TRUNCATE_EXISTING);
        int fileMode = create ? mode : 0644;
        FileAttribute<?> attribute = PosixFilePermissions.asFileAttribute(permissions(fileMode));
        FileChannel channel = call(Trace.format("open", quote(file.toString()),
                create ? "O_WRONLY|O_CREAT|O_EXCL" : "O_WRONLY|O_CREAT|O_TRUNC", octal(fileMode)),
                () -> FileChannel.open(file, options, attribute), opened -> "fd");
        try {
            call(Trace.format("write", "fd", shown(bytes), bytes.length),
                    () -> channel.write(ByteBuffer.wrap(bytes)), String::valueOf);
        } finally {
            close(channel);
        }
    }

    /** rm -r: unlink(2) each file, rmdir(2) each directory, deepest first. */
    public void removeTree(Path top) {
        if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) return;
        List<Path> deepestFirst;
        try (Stream<Path> walk = Files.walk(top)) {
            deepestFirst = walk.sorted(Comparator.reverseOrder()).toList();
        } catch (IOException e) {
            throw new JockerException(tr("cannot list {0} to remove it: {1}", top, e.getMessage()));
        }
        for (Path path : deepestFirst) {
            boolean dir = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
            call(Trace.format(dir ? "rmdir" : "unlink", quote(path.toString())), () -> Files.delete(path));
        }
    }

    /**
     * The whole file, read with read(2) until end of file (never by its size:
     * procfs and cgroupfs files report size 0 or 4096 whatever they hold).
     */
    public String readFile(Path file) {
        FileChannel channel = call(Trace.format("open", quote(file.toString()), "O_RDONLY"),
                () -> FileChannel.open(file, READ), opened -> "fd");
        try {
            byte[] bytes = Channels.newInputStream(channel).readAllBytes();
            Trace.call(Trace.format("read", "fd", shown(bytes)), String.valueOf(bytes.length));
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw refused(Trace.format("read", "fd"), e);
        } finally {
            close(channel);
        }
    }

    /** rmdir(2) of one directory; for a cgroup, the kernel refuses with EBUSY while it has tasks. */
    public void rmdir(Path dir) {
        call(Trace.format("rmdir", quote(dir.toString())), () -> Files.delete(dir));
    }

    /** kill(2) through libc: the JDK sends only SIGTERM and SIGKILL. */
    public void kill(long pid, int signal) {
        traced(Trace.format("kill", pid, signal), LibC.get().kill((int) pid, signal));
    }

    /**
     * posix_spawn(3), as the JDK starts a program: its stdin and stdout are
     * pipes to jocker ({@link Process#getOutputStream}, {@link Process#getInputStream}),
     * its stderr is jocker's.
     */
    public Process spawn(List<String> argv) {
        return call(Trace.format("posix_spawn", quote(argv.get(0)), "[" + argv.size() + " args]"),
                () -> new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start(),
                started -> String.valueOf(started.pid()));
    }

    /** waitpid(2) until the process ends; its exit code, or 128+N when signal N killed it. */
    public int waitFor(Process process) {
        int code;
        try {
            code = process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JockerException(tr("{0} was interrupted.", Trace.format("wait4", process.pid())));
        }
        Trace.call(Trace.format("wait4", process.pid()), process.pid() + ", exit code " + code);
        return code;
    }

    /**
     * Runs a host tool (ip, nft, iptables) to its end, traced as the
     * execve it is: {@code execve("/usr/sbin/ip", ["ip", "link", ...]) = 0}.
     * Text for its stdin may be given (an nft script, `ip -batch` lines). Returns what it printed;
     * a non-zero exit throws, with the tool's own error message.
     */
    public String run(List<String> argv, String stdin) {
        Tool tool = launch("execve", argv, stdin);
        Ended ended = waitForEnd(tool);
        Trace.call(tool.call(), ended.code() == 0 ? "0" : "exit " + ended.code() + ended.errorShown());
        return ended.outputOrThrow(argv);
    }

    /** A host tool that runs while jocker goes on: {@link #finish} waits for it. */
    public record Tool(List<String> argv, Process process, String call) {}

    /**
     * Starts a host tool and returns at once, traced as the process it starts:
     * {@code posix_spawn("/usr/sbin/nft", ["nft", "-f", "-"]) <<< "..." = PID}.
     */
    public Tool start(List<String> argv, String stdin) {
        Tool tool = launch("posix_spawn", argv, stdin);
        Trace.call(tool.call(), String.valueOf(tool.process().pid()));
        return tool;
    }

    /** Waits for a tool {@link #start} started, traced as wait4; a non-zero exit throws, as with {@link #run}. */
    public String finish(Tool tool) {
        Ended ended = waitForEnd(tool);
        long pid = tool.process().pid();
        Trace.call(Trace.format("wait4", pid), pid + ", exit code " + ended.code() + ended.errorShown());
        return ended.outputOrThrow(tool.argv());
    }

    /** Starts the tool; the call it is traced as, named by the caller, goes with it. */
    private static Tool launch(String traceName, List<String> argv, String stdin) {
        Path program = findProgram(argv.get(0));
        List<String> command = new ArrayList<>(argv);
        command.set(0, program.toString());
        String call = Trace.format(traceName, quote(program.toString()),
                "[" + String.join(", ", argv.stream().map(Trace::quote).toList()) + "]")
                + (stdin == null ? "" : " <<< " + quote(stdin));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
            if (stdin != null) process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            return new Tool(argv, process, call);
        } catch (IOException e) {
            Trace.call(call, "-1 (" + e.getMessage() + ")");
            throw new JockerException(tr("cannot run {0}: {1}", program, e.getMessage()));
        }
    }

    /** How a host tool ended: its exit code, and what it printed on stdout and stderr. */
    private record Ended(int code, String out, String err) {
        String errorShown() {
            return err.isEmpty() ? "" : " (" + quote(err) + ")";
        }

        String outputOrThrow(List<String> argv) {
            if (code == 0) return out;
            throw new JockerException(err.isEmpty() ? tr("{0} failed (exit {1}).", String.join(" ", argv), code)
                    : tr("{0} failed (exit {1}): {2}", String.join(" ", argv), code, err));
        }
    }

    private static Ended waitForEnd(Tool tool) {
        try {
            String out = new String(tool.process().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(tool.process().getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return new Ended(tool.process().waitFor(), out, err);
        } catch (IOException e) {
            throw new JockerException(tr("cannot run {0}: {1}", tool.argv().get(0), e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JockerException(tr("{0} was interrupted.", String.join(" ", tool.argv())));
        }
    }

    public String run(String... argv) {
        return run(List.of(argv), null);
    }

    /** Like {@link #run} but a failure is only traced: for cleanup, and for "does it exist?" questions. */
    public boolean tryRun(String... argv) {
        return tryRun(List.of(argv), null);
    }

    public boolean tryRun(List<String> argv, String stdin) {
        try {
            run(argv, stdin);
            return true;
        } catch (JockerException e) {
            return false;
        }
    }

    /** A host tool in the usual places; root's PATH may lack the sbin directories. */
    public static Path findProgram(String name) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/sbin", "/usr/local/bin")) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) return candidate;
        }
        throw new JockerException(tr("this step needs the program '{0}', which is not installed"
                + " (bin/setup installs it).", name));
    }

    public static boolean hasProgram(String name) {
        try {
            findProgram(name);
            return true;
        } catch (JockerException e) {
            return false;
        }
    }

    private static void call(String call, JdkAction action) {
        call(call, () -> {
            action.run();
            return null;
        }, nothing -> "0");
    }

    /** Makes the call through the JDK and traces it, its result as {@code shown} writes it. */
    private static <T> T call(String call, JdkCall<T> action, Function<T, String> shown) {
        T result;
        try {
            result = action.run();
        } catch (IOException e) {
            throw refused(call, e);
        }
        Trace.call(call, shown.apply(result));
        return result;
    }

    private static SyscallException refused(String call, IOException e) {
        int errno = IoErrno.of(e);
        Trace.call(call, "-1 " + SyscallException.errnoName(errno));
        return new SyscallException(call, errno);
    }

    /**
     * close(2) of a file or pipe jocker is done with: it reports nothing jocker
     * could act on (what was written reached the kernel with write(2)).
     */
    public static void close(Closeable file) {
        try {
            file.close();
        } catch (IOException ignored) {
            // closed all the same
        }
    }

    /** The mode bits 0777 as the JDK takes them. */
    private static Set<PosixFilePermission> permissions(int mode) {
        if ((mode & ~0777) != 0) throw new IllegalArgumentException("only the permission bits: " + octal(mode));
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (PosixFilePermission permission : PosixFilePermission.values()) { // OWNER_READ (0400) ... OTHERS_EXECUTE (01)
            if ((mode & (0400 >> permission.ordinal())) != 0) permissions.add(permission);
        }
        return permissions;
    }

    /** Bytes as a trace shows them: short text quoted, anything else by its size. */
    private static String shown(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        boolean printable = text.chars().allMatch(c -> c >= ' ' && c < 127 || c == '\n' || c == '\t');
        return !printable ? "[" + bytes.length + " bytes]"
                : quote(text.length() > 60 ? text.substring(0, 60) + "..." : text);
    }

    /** A libc call's result traced; a failure as -errno. */
    private static int traced(String call, int result) {
        if (result >= 0) {
            Trace.call(call, String.valueOf(result));
            return result;
        }
        int errno = Runtime.getRuntime(LibC.get()).getLastError();
        Trace.call(call, "-1 " + SyscallException.errnoName(errno));
        return -errno;
    }

    private static int check(String call, int result) {
        int traced = traced(call, result);
        if (traced < 0) throw new SyscallException(call, -traced);
        return traced;
    }
}
