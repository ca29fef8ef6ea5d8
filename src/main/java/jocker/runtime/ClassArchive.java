package jocker.runtime;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import jocker.cli.RunOptions;
import jocker.kernel.Host;
import jocker.kernel.LibC;
import jocker.steps.Steps;

/**
 * Not part of a run: `mvn package` starts this with -XX:ArchiveClassesAtExit to
 * write target/jocker.jsa, the class-data sharing archive bin/jocker maps at
 * every start (classes parsed and verified once, at build time, not at each
 * start; see README.md, Performance). It loads what `jocker run` loads without
 * running a container, so the build needs neither root nor a rootfs: every
 * class of jocker.jar but the tutorial's (JLine stays out), the jnr-ffi binding
 * of libc and a first call through it (a traced run makes them, for errno
 * names), and the option parsing and spec.json writing of a default run.
 *
 * With arguments, as bin/setup starts it (as root, through bin/jocker with
 * JOCKER_RECORD_CLASSES), it loads the same classes and then does a real
 * `jocker ARGS...` instead: the archive then also holds what only a running
 * container loads (lambdas of the steps, the JDK's process classes ...).
 */
public final class ClassArchive {
    private ClassArchive() {}

    public static void main(String[] args) throws IOException, URISyntaxException, ClassNotFoundException {
        Path jar = Path.of(ClassArchive.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ClassLoader loader = ClassArchive.class.getClassLoader();
        try (JarFile classes = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> e = classes.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (!name.endsWith(".class") || name.startsWith("jocker/tutorial/")) continue;
                Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, loader);
            }
        }
        LibC.get().strerror(1); // a traced run binds libc for errno names: jnr-ffi and its invocation classes
        if (args.length > 0) {
            jocker.Main.main(args);
            return;
        }
        new Host().isRoot();
        ContainerSpec spec = RunOptions.parse(List.of("/", "true"), Map.of());
        Json.write(spec);
        Steps.enabled(spec.steps());
    }
}
