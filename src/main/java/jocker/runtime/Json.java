package jocker.runtime;

import static jocker.i18n.Messages.tr;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import jocker.JockerException;

/**
 * A {@link ContainerSpec} as spec.json, with Jackson's streaming API: every run
 * writes one (a later run reads it to clean up after a killed one), and the
 * streaming parser starts about five times faster than an ObjectMapper.
 */
final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {}

    static String write(ContainerSpec spec) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(text).useDefaultPrettyPrinter()) {
            json.writeStartObject();
            json.writeStringField("id", spec.id());
            json.writeStringField("rootfs", spec.rootfs());
            writeList(json, "layers", spec.layers());
            json.writeStringField("hostname", spec.hostname());
            writeList(json, "command", spec.command());
            writeList(json, "env", spec.env());
            json.writeStringField("workdir", spec.workdir());
            writeList(json, "steps", List.copyOf(spec.steps()));
            json.writeNumberField("userNamespaceRoot", spec.userNamespaceRoot());
            json.writeBooleanField("keep", spec.keep());
            json.writeBooleanField("trace", spec.trace());
            json.writeStringField("stateDir", spec.stateDir());
            writeLimits(json, spec.limits());
            writeSecurity(json, spec.security());
            json.writeObjectFieldStart("network");
            json.writeStringField("subnet", spec.network().subnet());
            writeList(json, "ports", spec.network().ports());
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new JockerException(tr("cannot write the container spec: {0}", e.getMessage()));
        }
        return text + "\n";
    }

    @SuppressWarnings("unchecked")
    static ContainerSpec read(Path file) {
        Map<String, Object> fields = new HashMap<>();
        try (JsonParser json = FACTORY.createParser(file.toFile())) {
            expect(json.nextToken(), JsonToken.START_OBJECT);
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                fields.put(name, value(json, json.nextToken()));
            }
            return new ContainerSpec((String) fields.get("id"), (String) fields.get("rootfs"),
                    (List<String>) fields.get("layers"), (String) fields.get("hostname"),
                    (List<String>) fields.get("command"), (List<String>) fields.get("env"),
                    (String) fields.get("workdir"), new LinkedHashSet<>((List<String>) fields.get("steps")),
                    ((Long) fields.get("userNamespaceRoot")).intValue(), (Boolean) fields.get("keep"),
                    (Boolean) fields.get("trace"), (String) fields.get("stateDir"),
                    limits((Map<String, Object>) fields.get("limits")),
                    security((Map<String, Object>) fields.get("security")),
                    network((Map<String, Object>) fields.get("network")));
        } catch (IOException | RuntimeException e) {
            throw new JockerException(tr("cannot read the container spec {0}: {1}", file, e.getMessage()));
        }
    }

    private static Object value(JsonParser json, JsonToken token) throws IOException {
        switch (token) {
            case VALUE_STRING:
                return json.getText();
            case VALUE_NUMBER_INT:
                return json.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return json.getDoubleValue();
            case VALUE_TRUE:
            case VALUE_FALSE:
                return json.getBooleanValue();
            case START_OBJECT:
                Map<String, Object> object = new HashMap<>();
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String name = json.currentName();
                    object.put(name, value(json, json.nextToken()));
                }
                return object;
            case START_ARRAY:
                List<String> list = new ArrayList<>();
                while (json.nextToken() == JsonToken.VALUE_STRING) list.add(json.getText());
                return list;
            default:
                throw new IOException("unexpected " + token + " in field " + json.currentName());
        }
    }

    private static void writeLimits(JsonGenerator json, Limits limits) throws IOException {
        json.writeObjectFieldStart("limits");
        json.writeNumberField("memoryBytes", limits.memoryBytes());
        json.writeNumberField("memorySwapBytes", limits.memorySwapBytes());
        json.writeNumberField("cpus", limits.cpus());
        json.writeNumberField("cpuShares", limits.cpuShares());
        json.writeNumberField("pids", limits.pids());
        json.writeEndObject();
    }

    private static Limits limits(Map<String, Object> fields) {
        return new Limits((Long) fields.get("memoryBytes"), (Long) fields.get("memorySwapBytes"),
                (Double) fields.get("cpus"), ((Long) fields.get("cpuShares")).intValue(),
                ((Long) fields.get("pids")).intValue());
    }

    private static void writeSecurity(JsonGenerator json, Security security) throws IOException {
        json.writeObjectFieldStart("security");
        writeList(json, "capAdd", security.capAdd());
        writeList(json, "capDrop", security.capDrop());
        json.writeBooleanField("privileged", security.privileged());
        json.writeBooleanField("noNewPrivileges", security.noNewPrivileges());
        json.writeStringField("seccomp", security.seccomp());
        json.writeEndObject();
    }

    @SuppressWarnings("unchecked")
    private static Security security(Map<String, Object> fields) {
        return new Security((List<String>) fields.get("capAdd"), (List<String>) fields.get("capDrop"),
                (Boolean) fields.get("privileged"), (Boolean) fields.get("noNewPrivileges"),
                (String) fields.get("seccomp"));
    }

    @SuppressWarnings("unchecked")
    private static NetworkConfig network(Map<String, Object> fields) {
        return new NetworkConfig((String) fields.get("subnet"), (List<String>) fields.get("ports"));
    }

    private static void writeList(JsonGenerator json, String name, List<String> values) throws IOException {
        json.writeArrayFieldStart(name);
        for (String value : values) json.writeString(value);
        json.writeEndArray();
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) throw new IOException("expected " + expected + " but found " + actual);
    }
}
