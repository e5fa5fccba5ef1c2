package com.clinicwave.deploytests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Log shipping on Kubernetes (deploy/k8s/logging: Fluent Bit) gives the same ECS documents as the Logstash pipeline
 * (deploy/logstash/pipeline/clinicwave.conf): the rename table is compared with the pipeline's, and the Lua filter
 * itself runs here (LuaJ) on the lines the services write.
 */
@SuppressWarnings("unchecked")
class LogShippingTests {

    private static final String PIPELINE = Repo.read("deploy/logstash/pipeline/clinicwave.conf");
    private static final String LUA = Repo.read("deploy/k8s/logging/ecs.lua");
    private static final String FLUENT_BIT = Repo.read("deploy/k8s/logging/fluent-bit.conf");

    @Test
    void fluentBitRenamesTheEncodersFieldsToTheSameEcsFieldsAsLogstash() {
        Map<String, String> logstash = logstashRenames();
        assertThat(logstash).as("the pipeline's renames, read").containsEntry("level", "log.level").hasSizeGreaterThan(5);
        Map<String, String> fluentBit = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\\{ \"([\\w@]+)\", \"([\\w.]+)\" }").matcher(LUA);
        while (m.find()) {
            fluentBit.put(m.group(1), m.group(2));
        }
        assertThat(fluentBit).as("ecs.lua RENAMES against the Logstash pipeline's rename").containsExactlyEntriesOf(
                logstash);
        Matcher removed = Pattern.compile("remove_field => \\[([^]]*)]\\s*\\n\\s*}\\s*\\n\\s*\\n\\s*# Without")
                .matcher(PIPELINE);
        assertThat(removed.find()).as("the pipeline's remove_field after the renames").isTrue();
        Matcher luaRemoved = Pattern.compile("local REMOVED = \\{([^}]*)}").matcher(LUA);
        assertThat(luaRemoved.find()).isTrue();
        assertThat(quoted(luaRemoved.group(1))).containsAll(quoted(removed.group(1)));
    }

    @Test
    void aServicesJsonLineBecomesTheEcsDocumentLogstashWrites() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("message", "token refresh for Bearer abcdefghijklmnop and eyJhbGciOiJ.eyJzdWIiOiJ4.c2lnbmF0dXJl");
        record.put("logger_name", "com.clinicwave.auth.TokenService");
        record.put("thread_name", "http-nio-9000-exec-1");
        record.put("level", "WARN");
        record.put("level_value", 30000);
        record.put("@version", "1");
        record.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
        record.put("spanId", "00f067aa0ba902b7");
        record.put("service", "auth-service");
        record.put("stack_trace", "java.lang.IllegalStateException: eyJhbGciOiJ.eyJzdWIiOiJ4.c2lnbmF0dXJl\n\tat x");
        record.put("stream", "stdout");
        record.put("_p", "F");
        record.put("time", "2026-12-04T23:36:41.123456789Z");
        record.put("kubernetes", Map.of("container_name", "auth-service", "namespace_name", "clinicwave"));

        Map<String, Object> ecs = runEcs(record);

        assertThat(ecs).doesNotContainKeys("level", "logger_name", "thread_name", "traceId", "spanId", "stack_trace",
                "level_value", "@version", "_p", "time");
        assertThat(Repo.<String>get(ecs, "log", "level")).isEqualTo("warn");
        assertThat(Repo.<String>get(ecs, "log", "logger")).isEqualTo("com.clinicwave.auth.TokenService");
        assertThat(Repo.<String>get(ecs, "process", "thread", "name")).isEqualTo("http-nio-9000-exec-1");
        assertThat(Repo.<String>get(ecs, "trace", "id")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(Repo.<String>get(ecs, "span", "id")).isEqualTo("00f067aa0ba902b7");
        assertThat(Repo.<String>get(ecs, "service", "name")).isEqualTo("auth-service");
        assertThat(Repo.<String>get(ecs, "event", "kind")).isEqualTo("event");
        // Tokens masked as the pipeline's gsub masks them.
        assertThat((String) ecs.get("message")).isEqualTo("token refresh for Bearer [masked] and [masked]");
        assertThat(Repo.<String>get(ecs, "error", "stack_trace"))
                .isEqualTo("java.lang.IllegalStateException: [masked]\n\tat x");
        // Every ECS field the Logstash pipeline produces from these fields is there.
        logstashRenames().values().forEach(field -> assertThat(Repo.<Object>get(ecs, field.split("\\.")))
                .as(field).isNotNull());
    }

    @Test
    void aLineThatIsNotJsonKeepsItsTextAndTheContainersNameAsService() {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("log", "  .   ____          _            __ _ _  (Bearer short)");
        record.put("stream", "stdout");
        record.put("kubernetes", Map.of("container_name", "gateway"));

        Map<String, Object> ecs = runEcs(record);

        assertThat(ecs.get("message")).isEqualTo("  .   ____          _            __ _ _  (Bearer short)");
        assertThat(Repo.<String>get(ecs, "service", "name")).isEqualTo("gateway");
        assertThat(ecs).doesNotContainKey("log");
        assertThat(Repo.<Object>get(ecs, "event", "kind")).isNull();
    }

    @Test
    void fluentBitReadsThePlatformsContainersAndWritesTheIndexLogstashWrites() {
        assertThat(PIPELINE).contains("index => \"clinicwave-logs-%{+YYYY.MM.dd}\"");
        assertThat(FLUENT_BIT).containsPattern("Logstash_Prefix\\s+clinicwave-logs\\n")
                .containsPattern("Logstash_DateFormat\\s+%Y.%m.%d\\n")
                .containsPattern("Path\\s+/var/log/containers/\\*_clinicwave_\\*\\.log\\n")
                .containsPattern("script\\s+/fluent-bit/etc/ecs.lua\\n").containsPattern("call\\s+ecs\\n");
        assertThat(Repo.read("deploy/k8s/logging/parsers.conf")).containsPattern("Time_Key\\s+@timestamp\\n");
        Map<String, Object> daemonSet = object("DaemonSet", "fluent-bit");
        List<Map<String, Object>> mounts = Repo.get(((List<Map<String, Object>>) Repo.get(daemonSet, "spec",
                "template", "spec", "containers")).getFirst(), "volumeMounts");
        assertThat(mounts).anySatisfy(mount -> assertThat(mount.get("mountPath")).isEqualTo("/fluent-bit/etc/"));
    }

    @Test
    void fluentBitMayOnlyReadPodsAndNamespaces() {
        Map<String, Object> role = object("ClusterRole", "clinicwave-fluent-bit-read");
        List<Map<String, Object>> rules = (List<Map<String, Object>>) role.get("rules");
        assertThat(rules).allSatisfy(rule -> {
            assertThat((List<String>) rule.get("verbs")).containsExactlyInAnyOrder("get", "list", "watch");
            assertThat((List<String>) rule.get("resources")).isSubsetOf("pods", "namespaces");
        });
        Map<String, Object> binding = object("ClusterRoleBinding", "clinicwave-fluent-bit-read");
        assertThat(Repo.<String>get(binding, "roleRef", "name")).isEqualTo("clinicwave-fluent-bit-read");
        Map<String, Object> daemonSet = object("DaemonSet", "fluent-bit");
        assertThat((List<Map<String, Object>>) binding.get("subjects")).singleElement().satisfies(subject -> {
            assertThat(subject.get("name")).isEqualTo(Repo.get(daemonSet, "spec", "template", "spec",
                    "serviceAccountName"));
            assertThat(subject.get("namespace")).isEqualTo("logging");
        });
    }

    /** The pipeline's `"field" => "[a][b]"` renames, as dotted ECS names, in order. */
    private static Map<String, String> logstashRenames() {
        Map<String, String> renames = new LinkedHashMap<>();
        Matcher block = Pattern.compile("rename => \\{([^}]*)}").matcher(PIPELINE);
        assertThat(block.find()).as("the pipeline's rename block").isTrue();
        Matcher m = Pattern.compile("\"([\\w@]+)\"\\s*=>\\s*\"((?:\\[\\w+])+)\"").matcher(block.group(1));
        while (m.find()) {
            renames.put(m.group(1), m.group(2).substring(1, m.group(2).length() - 1).replace("][", "."));
        }
        return renames;
    }

    private static List<String> quoted(String list) {
        List<String> values = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]+)\"").matcher(list);
        while (m.find()) {
            values.add(m.group(1));
        }
        return values;
    }

    private static Map<String, Object> object(String kind, String name) {
        return K8s.objects().stream().filter(o -> kind.equals(o.get("kind")) && name.equals(K8s.name(o)))
                .findFirst().orElseThrow();
    }

    /** Calls ecs(tag, timestamp, record) of ecs.lua as Fluent Bit does; returns the record it gives back. */
    private static Map<String, Object> runEcs(Map<String, Object> record) {
        Globals globals = JsePlatform.standardGlobals();
        globals.load(LUA, "ecs.lua").call();
        Varargs result = globals.get("ecs").invoke(LuaValue.varargsOf(new LuaValue[] {
            LuaValue.valueOf("kube.var.log.containers.x"), LuaValue.valueOf(1.5), toLua(record) }));
        assertThat(result.arg(1).toint()).as("code 2: record modified, timestamp kept").isEqualTo(2);
        assertThat(result.arg(2).todouble()).isEqualTo(1.5);
        return (Map<String, Object>) toJava(result.arg(3));
    }

    private static LuaValue toLua(Object value) {
        if (value instanceof Map<?, ?> map) {
            LuaTable table = new LuaTable();
            map.forEach((k, v) -> table.set(String.valueOf(k), toLua(v)));
            return table;
        }
        if (value instanceof Integer i) {
            return LuaValue.valueOf(i);
        }
        return LuaValue.valueOf(String.valueOf(value));
    }

    private static Object toJava(LuaValue value) {
        if (value.istable()) {
            Map<String, Object> map = new LinkedHashMap<>();
            LuaValue key = LuaValue.NIL;
            while (true) {
                Varargs next = value.next(key);
                key = next.arg1();
                if (key.isnil()) {
                    break;
                }
                map.put(key.tojstring(), toJava(next.arg(2)));
            }
            return map;
        }
        return value.isnumber() ? value.todouble() : value.tojstring();
    }
}
