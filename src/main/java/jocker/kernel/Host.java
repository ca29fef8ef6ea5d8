package jocker.kernel;

import static jocker.i18n.Messages.tr;
import static jocker.kernel.Trace.octal;
import static jocker.kernel.Trace.quote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jocker.JockerException;

/**
 * The host side of the kernel: what the jocker process itself does outside the
 * container (directories for the overlay, uid maps, starting the clone helper,
 * signals). Traced like {@link Kernel}.
 */
public final class Host {
    private static final int EINTR = 4;
    private static final int EEXIST = 17;
    private static final int POSIX_SPAWN_FILE_ACTIONS_SIZE = 256; // glibc needs 80; room to spare
    private static final int READ_SIZE = 512;

    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0100;
    private static final int O_EXCL = 0200;
    private static final int O_TRUNC = 01000;
    private static final int O_CLOEXEC = 02000000;

    private final LibC libc = LibC.get();
    private final Runtime runtime = Runtime.getRuntime(libc);
    private final CMemory memory = new CMemory(runtime);

    public boolean isRoot() {
        return libc.geteuid() == 0;
    }

    /** mkdir(2) with exactly this mode (umask does not apply, thanks to the chmod). */
    public void mkdir(Path dir, int mode) {
        Pointer path = memory.string(dir);
        check(Trace.format("mkdir", quote(dir.toString()), octal(mode)), libc.mkdir(path, mode));
        check(Trace.format("chmod", quote(dir.toString()), octal(mode)), libc.chmod(path, mode));
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
        check(Trace.format("rename", quote(from.toString()), quote(to.toString())),
                libc.rename(memory.string(from), memory.string(to)));
    }

    public void chown(Path path, int uid, int gid) {
        check(Trace.format("chown", quote(path.toString()), uid, gid), libc.chown(memory.string(path), uid, gid));
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
        int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (create ? O_EXCL : O_TRUNC);
        int fd = check(Trace.format("open", quote(file.toString()),
                create ? "O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC" : "O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC",
                octal(create ? mode : 0644)), libc.open(memory.string(file), flags, create ? mode : 0644));
        try {
            write(fd, bytes);
        } finally {
            libc.close(fd);
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
            int result = dir ? libc.rmdir(memory.string(path)) : libc.unlink(memory.string(path));
            check(Trace.format(dir ? "rmdir" : "unlink", quote(path.toString())), result);
        }
    }

    /**
     * The whole file, read with read(2) until end of file (never by its size:
     * procfs and cgroupfs files report size 0 or 4096 whatever they hold).
     */
    public String readFile(Path file) {
        int fd = check(Trace.format("open", quote(file.toString()), "O_RDONLY|O_CLOEXEC"),
                libc.open(memory.string(file), O_RDONLY | O_CLOEXEC, 0));
        try {
            String text = readAll(fd);
            Trace.call(Trace.format("read", fd, quote(text.length() > 60 ? text.substring(0, 60) + "..." : text)),
                    String.valueOf(text.getBytes(StandardCharsets.UTF_8).length));
            return text;
        } finally {
            libc.close(fd);
        }
    }

    /** rmdir(2) of one directory; for a cgroup, the kernel refuses with EBUSY while it has tasks. */
    public void rmdir(Path dir) {
        check(Trace.format("rmdir", quote(dir.toString())), libc.rmdir(memory.string(dir)));
    }

    public void kill(long pid, int signal) {
        traced(Trace.format("kill", pid, signal), libc.kill((int) pid, signal));
    }

    /** pipe(2): {read end, write end}. */
    public int[] pipe() {
        Pointer fds = memory.allocate(2 * Integer.BYTES); // int fds[2]
        check("pipe([])", libc.pipe(fds));
        return new int[] {fds.getInt(0), fds.getInt(Integer.BYTES)};
    }

    public void close(int fd) {
        libc.close(fd);
    }

    public void write(int fd, byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        boolean printable = text.chars().allMatch(c -> c >= ' ' && c < 127 || c == '\n' || c == '\t');
        String shown = !printable ? "[" + bytes.length + " bytes]"
                : quote(text.length() > 60 ? text.substring(0, 60) + "..." : text);
        check(Trace.format("write", fd, shown, bytes.length), libc.write(fd, memory.copy(bytes), bytes.length));
    }

    /**
     * write(2) of all the bytes, not traced: the requests to the container's
     * process (see CloneHelper). False when the reader is gone (EPIPE).
     */
    public boolean send(int fd, byte[] bytes) {
        Pointer all = memory.copy(bytes);
        int done = 0;
        while (done < bytes.length) {
            int n = libc.write(fd, all.slice(done), bytes.length - done);
            if (n < 0 && runtime.getLastError() == EINTR) continue;
            if (n < 0) return false;
            done += n;
        }
        return true;
    }

    /** What one read(2) returns; null at end of file. */
    public String readSome(int fd) {
        Pointer buffer = memory.allocate(READ_SIZE);
        int n;
        while ((n = libc.read(fd, buffer, READ_SIZE)) < 0 && runtime.getLastError() == EINTR) {
            // interrupted by a signal before anything arrived: read again
        }
        if (n <= 0) return null;
        byte[] bytes = new byte[n];
        buffer.get(0, bytes, 0, n);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Everything until end of file. */
    public String readAll(int fd) {
        StringBuilder text = new StringBuilder();
        for (String chunk = readSome(fd); chunk != null; chunk = readSome(fd)) text.append(chunk);
        return text.toString();
    }

    /**
     * posix_spawn(3): starts a program with the given fds moved into place
     * ({@code fdMoves}: from, to), returns its PID.
     */
    public long spawn(List<String> argv, List<String> env, Map<Integer, Integer> fdMoves) {
        Pointer actions = memory.allocate(POSIX_SPAWN_FILE_ACTIONS_SIZE);
        libc.posix_spawn_file_actions_init(actions);
        fdMoves.forEach((from, to) -> libc.posix_spawn_file_actions_adddup2(actions, from, to));
        List<Pointer> keepAlive = new ArrayList<>();
        Pointer pid = memory.allocate(Integer.BYTES); // pid_t
        int error = libc.posix_spawn(pid, memory.string(argv.get(0)), actions, null, memory.array(argv, keepAlive),
                memory.array(env, keepAlive));
        libc.posix_spawn_file_actions_destroy(actions);
        String call = Trace.format("posix_spawn", quote(argv.get(0)), "[" + argv.size() + " args]");
        if (error != 0) {
            Trace.call(call, "-1 " + SyscallException.errnoName(error));
            throw new SyscallException(call, error);
        }
        int spawned = pid.getInt(0);
        Trace.call(call, String.valueOf(spawned));
        return spawned;
    }

    /** waitpid(2) until the process ends; its exit code, or 128+N when signal N killed it. */
    public int waitFor(long pid) {
        Pointer status = memory.allocate(Integer.BYTES);
        int result;
        do {
            result = libc.waitpid((int) pid, status, 0);
        } while (result < 0 && runtime.getLastError() == EINTR);
        int wstatus = status.getInt(0);
        int signal = wstatus & 0x7f;
        int code = signal == 0 ? (wstatus >> 8) & 0xff : 128 + signal;
        Trace.call(Trace.format("wait4", pid), pid + ", exit code " + code);
        return code;
    }

    /**
     * Runs a host tool (ip, nsenter, nft, iptables) to its end, traced as the
     * execve it is: {@code execve("/usr/sbin/ip", ["ip", "link", ...]) = 0}.
     * Text for its stdin may be given (an nft script, `ip -batch` lines). Returns what it printed;
     * a non-zero exit throws, with the tool's own error message.
     */
    public String run(List<String> argv, String stdin) {
        Path program = findProgram(argv.get(0));
        List<String> command = new ArrayList<>(argv);
        command.set(0, program.toString());
        String call = Trace.format("execve", quote(program.toString()),
                "[" + String.join(", ", argv.stream().map(Trace::quote).toList()) + "]")
                + (stdin == null ? "" : " <<< " + quote(stdin));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
            if (stdin != null) process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            int code = process.waitFor();
            Trace.call(call, code == 0 ? "0" : "exit " + code + (err.isEmpty() ? "" : " (" + quote(err) + ")"));
            if (code != 0) {
                throw new JockerException(err.isEmpty() ? tr("{0} failed (exit {1}).", String.join(" ", argv), code)
                        : tr("{0} failed (exit {1}): {2}", String.join(" ", argv), code, err));
            }
            return out;
        } catch (IOException e) {
            Trace.call(call, "-1 (" + e.getMessage() + ")");
            throw new JockerException(tr("cannot run {0}: {1}", program, e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JockerException(tr("{0} was interrupted.", String.join(" ", argv)));
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

    private int traced(String call, int result) {
        if (result >= 0) {
            Trace.call(call, String.valueOf(result));
            return result;
        }
        int errno = runtime.getLastError();
        Trace.call(call, "-1 " + SyscallException.errnoName(errno));
        return -errno;
    }

    private int check(String call, int result) {
        int traced = traced(call, result);
        if (traced < 0) throw new SyscallException(call, -traced);
        return traced;
    }
}
