package jocker.runtime;

import java.util.List;

/**
 * What the container may do to the kernel, from --cap-add, --cap-drop,
 * --privileged and --security-opt.
 *
 * @param capAdd          capability names as given (e.g. "NET_ADMIN", "ALL")
 * @param capDrop         capability names as given
 * @param privileged      --privileged: keep every capability, no seccomp filter
 * @param noNewPrivileges prctl(PR_SET_NO_NEW_PRIVS) before exec (default true)
 * @param seccomp         "default", "unconfined", or the path of a Docker-format JSON profile
 */
public record Security(List<String> capAdd, List<String> capDrop, boolean privileged, boolean noNewPrivileges,
        String seccomp) {
    public static final String DEFAULT_SECCOMP = "default";
    public static final String UNCONFINED = "unconfined";
    public static final Security DEFAULT = new Security(List.of(), List.of(), false, true, DEFAULT_SECCOMP);
}
