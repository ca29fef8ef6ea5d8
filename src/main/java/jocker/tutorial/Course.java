package jocker.tutorial;

import static jocker.i18n.Messages.tr;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jocker.JockerException;
import jocker.i18n.Messages;
import jocker.i18n.Po;

/**
 * The course: lessons/manifest.json (order, module, steps, check, hints,
 * solution of each lesson) and the lesson pages in lessons/LANG/. What a
 * learner reads of the manifest (titles, hints) is English there and
 * translated in lessons/LANG/course.po; a page or sentence not translated yet
 * is shown in English (and {@link Messages#pendingNotice} says so).
 */
public final class Course {
    /** One lesson of the manifest. */
    public record Lesson(int number, String file, String title, String module, List<String> steps, String check,
            List<String> hints, List<String> solution) {}

    record Manifest(String about, List<Lesson> lessons) {}

    private final Path dir;
    private final List<Lesson> lessons;
    private final Map<String, Map<String, String>> catalogs = new ConcurrentHashMap<>();

    private Course(Path dir, List<Lesson> lessons) {
        this.dir = dir;
        this.lessons = lessons;
    }

    /** Reads DIR/manifest.json; DIR is the checkout's lessons/ directory. */
    public static Course load(Path dir) {
        try {
            Manifest manifest = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                    .readValue(dir.resolve("manifest.json").toFile(), Manifest.class);
            List<Lesson> lessons = manifest.lessons();
            for (int i = 0; i < lessons.size(); i++) {
                if (lessons.get(i).number() != i) throw new JockerException(tr("lesson {0} is out of order", i));
            }
            return new Course(dir, lessons);
        } catch (IOException e) {
            throw new JockerException(tr("cannot read the course {0}: {1}", dir.resolve("manifest.json"), e.getMessage()));
        }
    }

    public List<Lesson> lessons() {
        return lessons;
    }

    public int size() {
        return lessons.size();
    }

    public Lesson lesson(int number) {
        if (number < 0 || number >= lessons.size()) {
            throw new JockerException(tr("there is no lesson {0}: the lessons are 0 to {1} (see `lessons`).", number,
                    lessons.size() - 1));
        }
        return lessons.get(number);
    }

    /** The Markdown text of a lesson in the current language, else in English. */
    public String text(Lesson lesson) {
        Path page = dir.resolve(Messages.language()).resolve(lesson.file());
        if (!Files.exists(page)) {
            Messages.noteFallback();
            page = dir.resolve(Messages.ENGLISH).resolve(lesson.file());
        }
        try {
            return Files.readString(page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new JockerException(tr("cannot read lesson {0}: {1}", lesson.number(), e.getMessage()));
        }
    }

    /** The lesson's title in the current language. */
    public String title(Lesson lesson) {
        return translated(lesson.title());
    }

    /** Hint {@code n} (from 1) in the current language. */
    public String hint(Lesson lesson, int n) {
        return translated(lesson.hints().get(n - 1));
    }

    private String translated(String english) {
        return Messages.lookUp(catalog(Messages.language()), english);
    }

    /** lessons/LANG/course.po: the manifest's titles and hints, translated. */
    Map<String, String> catalog(String lang) {
        return catalogs.computeIfAbsent(lang, l -> {
            Path file = dir.resolve(l).resolve("course.po");
            if (!Files.exists(file)) return Map.of();
            try (var in = Files.newInputStream(file)) {
                return Po.read(in);
            } catch (IOException e) {
                throw new JockerException(tr("cannot read {0}: {1}", file, e.getMessage()));
            }
        });
    }

    /** The steps the lessons before {@code number} switched on: the container as built when lesson {@code number} starts. */
    public Set<String> stepsBefore(int number) {
        Set<String> steps = new LinkedHashSet<>();
        for (Lesson lesson : lessons.subList(0, Math.min(number, lessons.size()))) steps.addAll(lesson.steps());
        if (steps.contains("pivot_root")) steps.remove("chroot"); // lesson 2 replaces lesson 1's chroot
        return steps;
    }
}
