package io.churn.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * What of the Kubernetes target can be checked without a Kubernetes cluster: the manifests and the
 * executor pod template against Kubernetes' API schema (its generated models reject unknown and
 * misplaced fields), the image recipe against the build's output, and the spark-submit command
 * {@code submit/k8s.sh} composes.
 */
class KubernetesSubmitIT {

    static final Path ROOT = StandaloneSubmitIT.ROOT;
    static final Path K8S = ROOT.resolve("submit/k8s");

    @TempDir
    Path dir;

    /** Every document of a manifest, checked against the schema of its kind; returns them. */
    static List<Map<String, Object>> validate(Path manifest) throws Exception {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Yaml().loadAll(Files.readString(manifest))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) document;
            JsonElement json = new Gson().toJsonTree(object);
            switch ((String) object.get("kind")) {
                case "Pod" -> V1Pod.validateJsonElement(json);
                case "ServiceAccount" -> V1ServiceAccount.validateJsonElement(json);
                case "Role" -> V1Role.validateJsonElement(json);
                case "RoleBinding" -> V1RoleBinding.validateJsonElement(json);
                default -> throw new AssertionError("no schema for " + object.get("kind") + " in " + manifest);
            }
            documents.add(object);
        }
        return documents;
    }

    @Test
    void the_executor_pod_template_and_the_driver_permissions_follow_the_kubernetes_schema() throws Exception {
        Map<String, Object> template = validate(K8S.resolve("executor-pod-template.yaml")).get(0);
        String yaml = new Yaml().dump(template);
        assertTrue(yaml.contains("name: executor"), "the container k8s.sh names as the executor's");
        assertTrue(yaml.contains("name: spark-local-dir-1"), "Spark takes volumes named spark-local-dir-* as scratch");

        List<String> kinds = validate(K8S.resolve("rbac.yaml")).stream().map(d -> (String) d.get("kind")).toList();
        assertEquals(List.of("ServiceAccount", "Role", "RoleBinding"), kinds);
    }

    @Test
    void the_schema_check_rejects_a_misspelt_field() {
        String misspelt = """
                apiVersion: v1
                kind: Pod
                spec:
                  containers:
                    - name: executor
                      volumeMounts:
                        - name: spark-local-dir-1
                          mountPth: /scratch
                """;
        var e = assertThrows(IllegalArgumentException.class,
                () -> V1Pod.validateJsonElement(new Gson().toJsonTree(new Yaml().load(misspelt))));
        assertTrue(e.getMessage().contains("mountPth"), e.getMessage());
    }

    @Test
    void the_image_recipe_copies_files_the_build_makes() throws Exception {
        List<String> copies = Files.readAllLines(K8S.resolve("Dockerfile")).stream()
                .filter(line -> line.startsWith("COPY ")).toList();
        assertFalse(copies.isEmpty());
        for (String copy : copies) {
            String source = copy.split("\\s+")[1];
            assertTrue(Files.exists(ROOT.resolve(source)), copy + ": " + source + " exists after mvn package");
        }
        assertTrue(copies.contains("COPY spark-jobs/target/churn-cluster.jar /opt/churn/churn-cluster.jar"), copies.toString());
    }

    @Test
    void k8s_sh_submits_in_cluster_mode_with_the_image_the_template_and_the_shipped_spec() throws Exception {
        Path spec = Files.writeString(dir.resolve("mine.json"), "{}");
        String command = k8sSh(Map.of("CHURN_UPLOAD_PATH", "s3a://bucket/upload"), 0,
                "sweep", spec.toString(), "--jdbc-url", "jdbc:postgresql://db:5432/churn");
        for (String expected : List.of("--master k8s://https://api:6443 --deploy-mode cluster",
                "spark.kubernetes.container.image=registry/churn:1",
                "spark.kubernetes.executor.podTemplateFile=" + K8S.resolve("executor-pod-template.yaml"),
                "spark.kubernetes.executor.podTemplateContainerName=executor",
                "spark.kubernetes.file.upload.path=s3a://bucket/upload",
                "--files " + spec.toRealPath(),
                "--properties-file " + ROOT.resolve("conf/spark-defaults.conf"),
                "local:///opt/churn/churn-cluster.jar sweep mine.json --jdbc-url")) {
            assertTrue(command.contains(expected), expected + " in " + command);
        }

        String inImage = k8sSh(Map.of(), 0, "resubmit", "mine", "--jdbc-url", "jdbc:postgresql://db:5432/churn");
        assertFalse(inImage.contains("--files"), inImage);
        assertTrue(inImage.contains("churn-cluster.jar resubmit mine --jdbc-url"), inImage);

        String refused = k8sSh(Map.of(), 2, "sweep", spec.toString(), "--jdbc-url", "jdbc:postgresql://db:5432/churn");
        assertTrue(refused.contains("set CHURN_UPLOAD_PATH"), refused);
    }

    /** {@code submit/k8s.sh ARGS} with CHURN_DRY_RUN=1: the spark-submit command it would run. */
    String k8sSh(Map<String, String> env, int expectedExit, String... args) throws Exception {
        List<String> line = new ArrayList<>(List.of("bash", ROOT.resolve("submit/k8s.sh").toString()));
        line.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(line).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("CHURN_DRY_RUN", "1");
        pb.environment().put("SPARK_HOME", StandaloneSubmitIT.SPARK_HOME.toString());
        pb.environment().put("CHURN_K8S_MASTER", "k8s://https://api:6443");
        pb.environment().put("CHURN_IMAGE", "registry/churn:1");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(expectedExit, p.exitValue(), output);
        return output;
    }
}
