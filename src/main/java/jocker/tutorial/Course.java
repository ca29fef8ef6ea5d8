package jocker.tutorial;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import jocker.JockerException;

/**
 * The course: lessons/manifest.json (order, module, steps, check, hints,
 * solution of each lesson) and the lesson pages in lessons/en/.
 */
public final class Course {
    /** One lesson of the manifest. */
    public record Lesson(int number, String file, String title, String module, List<String> steps, String check,
            List<String> hints, List<String> solution) {}

    record Manifest(String about, List<Lesson> lessons) {}

    private final Path dir;
    private final List<Lesson> lessons;

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
                if (lessons.get(i).number() != i) throw new JockerException("lesson " + i + " is out of order");
            }
            return new Course(dir, lessons);
        } catch (IOException e) {
            throw new JockerException("cannot read the course " + dir.resolve("manifest.json") + ": " + e.getMessage());
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
            throw new JockerException("there is no lesson " + number + ": the lessons are 0 to " + (lessons.size() - 1)
                    + " (see `lessons`).");
        }
        return lessons.get(number);
    }

    /** The Markdown text of a lesson. */
    public String text(Lesson lesson) {
        try {
            return Files.readString(dir.resolve("en").resolve(lesson.file()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new JockerException("cannot read lesson " + lesson.number() + ": " + e.getMessage());
        }
    }

    /** The steps the lessons before {@code number} switched on: the container as built when lesson {@code number} starts. */
    public Set<String> stepsBefore(int number) {
        Set<String> steps = new LinkedHashSet<>();
        for (Lesson lesson : lessons.subList(0, Math.min(number, lessons.size()))) steps.addAll(lesson.steps());
        if (steps.contains("pivot_root")) steps.remove("chroot"); // lesson 2 replaces lesson 1's chroot
        return steps;
    }
}
