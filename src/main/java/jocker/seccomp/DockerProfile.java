package jocker.seccomp;

import static jocker.i18n.Messages.tr;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jocker.JockerException;
import jocker.seccomp.Profile.ArgCheck;
import jocker.seccomp.Profile.Op;
import jocker.seccomp.Profile.Rule;
import jocker.steps.Capabilities;

/**
 * Lesson 11, seccomp: lessons/en/11-seccomp.md
 *
 * Reads a seccomp profile in Docker's JSON format
 * (--security-opt seccomp=profile.json), e.g.
 *
 * <pre>
 * { "defaultAction": "SCMP_ACT_ALLOW",
 *   "syscalls": [ { "names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1 } ] }
 * </pre>
 *
 * Understood: defaultAction, defaultErrnoRet; syscalls[] with names (or the
 * older name), action (SCMP_ACT_ALLOW, ERRNO with errnoRet, KILL, KILL_THREAD,
 * KILL_PROCESS, TRAP, LOG), args[] (index, value, valueTwo, op: SCMP_CMP_EQ, NE,
 * LT, LE, GT, GE, MASKED_EQ, all 64 bits), includes/excludes by caps and arches
 * (Go's names: amd64). Not used: architectures and archMap (the filter admits
 * only the host's own architecture and kills every other), minKernel, comments.
 *
 * A syscall name this architecture does not have is skipped, as Docker and
 * libseccomp do: one profile serves every architecture. Everything else that
 * is wrong (not JSON, an unknown action or comparison) stops the run with one
 * sentence, before the container starts.
 *
 * jackson-core's streaming parser turns the file into maps and lists; an
 * ObjectMapper would cost a third of a second of start-up on every run.
 */
public final class DockerProfile {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final String HOST_GO_ARCH = "amd64";

    private final String file;
    private final Capabilities.Kept caps;

    private DockerProfile(String file, Capabilities.Kept caps) {
        this.file = file;
        this.caps = caps;
    }

    /** The profile in {@code file}; {@code caps} decide includes/excludes by capability. */
    public static Profile read(Path file, Capabilities.Kept caps) {
        DockerProfile reader = new DockerProfile(file.toString(), caps);
        if (!Files.isRegularFile(file)) throw reader.problem(tr("does not exist or is not a file"));
        return reader.profile(reader.parse(file));
    }

    private Profile profile(Map<String, Object> json) {
        int defaultErrno = (int) number(json.getOrDefault("defaultErrnoRet", (long) Verdict.EPERM), "defaultErrnoRet");
        Object defaultAction = json.get("defaultAction");
        if (defaultAction == null) throw problem(tr("has no defaultAction"));
        int defaultVerdict = verdict(defaultAction, defaultErrno);
        List<Rule> rules = new ArrayList<>();
        for (Object entry : list(json.getOrDefault("syscalls", List.of()), "syscalls")) {
            Map<String, Object> syscall = object(entry, "syscalls[]");
            if (!applies(syscall)) continue;
            Object errnoRet = syscall.getOrDefault("errnoRet", (long) defaultErrno);
            int verdict = verdict(syscall.get("action"), (int) number(errnoRet, "errnoRet"));
            List<ArgCheck> args = new ArrayList<>();
            for (Object arg : list(syscall.getOrDefault("args", List.of()), "args")) {
                args.add(argCheck(object(arg, "args[]")));
            }
            for (String name : names(syscall)) rules.add(new Rule(name, verdict, List.copyOf(args)));
        }
        return new Profile(defaultVerdict, List.copyOf(rules));
    }

    /** Docker's includes/excludes: all included caps kept, no excluded cap kept, the host's arch in/out. */
    private boolean applies(Map<String, Object> syscall) {
        Map<String, Object> includes = object(syscall.getOrDefault("includes", Map.of()), "includes");
        Map<String, Object> excludes = object(syscall.getOrDefault("excludes", Map.of()), "excludes");
        for (String cap : strings(includes.getOrDefault("caps", List.of()), "includes.caps")) {
            if (!caps.keeps(cap)) return false;
        }
        for (String cap : strings(excludes.getOrDefault("caps", List.of()), "excludes.caps")) {
            if (caps.keeps(cap)) return false;
        }
        List<String> includedArches = strings(includes.getOrDefault("arches", List.of()), "includes.arches");
        if (!includedArches.isEmpty() && !includedArches.contains(HOST_GO_ARCH)) return false;
        return !strings(excludes.getOrDefault("arches", List.of()), "excludes.arches").contains(HOST_GO_ARCH);
    }

    private List<String> names(Map<String, Object> syscall) {
        if (syscall.containsKey("names")) return strings(syscall.get("names"), "names");
        if (syscall.containsKey("name")) return List.of(string(syscall.get("name"), "name"));
        throw problem(tr("has a syscalls entry without names"));
    }

    private int verdict(Object action, int errno) {
        String name = string(action, "action");
        return switch (name) {
            case "SCMP_ACT_ALLOW" -> Verdict.ALLOW;
            case "SCMP_ACT_LOG" -> Verdict.LOG;
            case "SCMP_ACT_ERRNO" -> Verdict.errno(errno);
            case "SCMP_ACT_TRAP" -> Verdict.TRAP;
            case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> Verdict.KILL_THREAD;
            case "SCMP_ACT_KILL_PROCESS" -> Verdict.KILL_PROCESS;
            default -> throw problem(tr("has the action '{0}', which jocker does not know (it knows"
                    + " SCMP_ACT_ALLOW, ERRNO, KILL, KILL_THREAD, KILL_PROCESS, TRAP and LOG)", name));
        };
    }

    private ArgCheck argCheck(Map<String, Object> arg) {
        int index = (int) number(arg.get("index"), "index");
        if (index < 0 || index > 5) {
            throw problem(tr("has an argument index {0}; syscalls have arguments 0 to 5", index));
        }
        String op = string(arg.get("op"), "op");
        Op parsed;
        try {
            parsed = Op.valueOf(op.replaceFirst("^SCMP_CMP_", ""));
        } catch (IllegalArgumentException e) {
            throw problem(tr("has the comparison '{0}', which jocker does not know (it knows SCMP_CMP_EQ, NE, LT,"
                    + " LE, GT, GE and MASKED_EQ)", op));
        }
        return new ArgCheck(index, parsed, number(arg.getOrDefault("value", 0L), "value"),
                number(arg.getOrDefault("valueTwo", 0L), "valueTwo"));
    }

    // --- JSON as maps, lists, strings and numbers

    private Map<String, Object> parse(Path path) {
        try (JsonParser json = FACTORY.createParser(path.toFile())) {
            Object top = value(json, json.nextToken());
            if (json.nextToken() != null) throw problem(tr("has more after its JSON object"));
            return object(top, tr("the top level"));
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage().lines().findFirst().orElse("")
                    .replaceAll("\\s*\\(start marker at .*", ""); // Jackson's inner location, said better below
            throw problem(tr("is not valid JSON: {0} at line {1}, column {2}", why, e.getLocation().getLineNr(),
                    e.getLocation().getColumnNr()));
        } catch (IOException e) {
            throw problem(tr("cannot be read: {0}", e.getMessage()));
        }
    }

    private Object value(JsonParser json, JsonToken token) throws IOException {
        if (token == null) throw problem(tr("is empty"));
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> object = new LinkedHashMap<>();
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String name = json.currentName();
                    object.put(name, value(json, json.nextToken()));
                }
                return object;
            }
            case START_ARRAY: {
                List<Object> array = new ArrayList<>();
                for (JsonToken next = json.nextToken(); next != JsonToken.END_ARRAY; next = json.nextToken()) {
                    array.add(value(json, next));
                }
                return array;
            }
            case VALUE_STRING:
                return json.getText();
            case VALUE_NUMBER_INT:
                return json.getBigIntegerValue().longValue(); // up to 2^64-1, as the kernel's u64
            case VALUE_TRUE:
            case VALUE_FALSE:
                return json.getBooleanValue();
            case VALUE_NULL:
                return null;
            default:
                throw problem(tr("has a value jocker cannot use ({0})", token));
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object(Object value, String what) {
        if (value == null) return Map.of(); // Docker writes "includes": null
        if (value instanceof Map) return (Map<String, Object>) value;
        throw problem(tr("needs an object for {0}", what));
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object value, String what) {
        if (value == null) return List.of(); // Docker writes "args": null
        if (value instanceof List) return (List<Object>) value;
        throw problem(tr("needs a list for {0}", what));
    }

    private List<String> strings(Object value, String what) {
        return list(value, what).stream().map(item -> string(item, what)).toList();
    }

    private String string(Object value, String what) {
        if (value instanceof String text) return text;
        throw problem(tr("needs a string for {0}", what));
    }

    private long number(Object value, String what) {
        if (value instanceof Long number) return number;
        throw problem(tr("needs a whole number for {0}", what));
    }

    private JockerException problem(String what) {
        return new JockerException(tr("the seccomp profile {0} {1}.", file, what));
    }
}
