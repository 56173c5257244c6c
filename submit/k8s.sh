#!/usr/bin/env bash
# Runs a churn command on Kubernetes: the driver in a pod (cluster deploy mode), executors in
# pods shaped by submit/k8s/executor-pod-template.yaml, all from the image of submit/k8s/Dockerfile.
# The driver prints to its pod log: kubectl logs -n NAMESPACE -f DRIVER-POD (spark-submit names it).
#   CHURN_K8S_MASTER=k8s://https://api.example:6443 CHURN_IMAGE=registry.example/churn:0.1.0 \
#   SPARK_HOME=/opt/spark submit/k8s.sh sweep /opt/churn/conf/sweeps/butter-core.json \
#       --jdbc-url jdbc:postgresql://db.churn.svc:5432/churn --results s3a://bucket/churn
#   ... submit/k8s.sh resubmit butter-core --jdbc-url jdbc:postgresql://db.churn.svc:5432/churn --results s3a://bucket/churn
# One-time setup of the namespace: kubectl create namespace churn && kubectl apply -n churn -f submit/k8s/rbac.yaml
# A SPEC inside the image (/opt/churn/conf/...) is read there; a SPEC or --jdbc-password-file on
# this machine is uploaded to CHURN_UPLOAD_PATH and the driver reads its copy.
# Variables:
#   CHURN_K8S_MASTER      the API server, k8s://https://HOST:PORT (required)
#   CHURN_IMAGE           the churn image, built from submit/k8s/Dockerfile (required)
#   CHURN_NAMESPACE       namespace (default churn)
#   CHURN_SERVICE_ACCOUNT the driver's service account (default churn-driver, from rbac.yaml)
#   CHURN_EXECUTORS       executor pods (default 2)
#   CHURN_UPLOAD_PATH     a Hadoop URI (s3a://bucket/churn-upload) where local files are staged
#   CHURN_JDBC_SECRET     SECRET:KEY of a Kubernetes secret holding the database password, given
#                         to the driver as CHURN_JDBC_PASSWORD (churn's default --jdbc-password-env)
# and those of submit/spark-submit.sh: SPARK_HOME, CHURN_SPARK_CONF, CHURN_SPARK_OPTS,
# CHURN_DRIVER_MEMORY, CHURN_DRY_RUN. CHURN_JAR defaults to the jar inside the image.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/spark-submit.sh"
: "${CHURN_K8S_MASTER:?CHURN_K8S_MASTER must be the API server, k8s://https://HOST:PORT}"
: "${CHURN_IMAGE:?CHURN_IMAGE must name the churn image built from submit/k8s/Dockerfile}"
export CHURN_JAR="${CHURN_JAR:-local:///opt/churn/churn-cluster.jar}"
opts=(--master "$CHURN_K8S_MASTER" --deploy-mode cluster --name churn
      --conf "spark.kubernetes.namespace=${CHURN_NAMESPACE:-churn}"
      --conf "spark.kubernetes.container.image=$CHURN_IMAGE"
      --conf "spark.kubernetes.authenticate.driver.serviceAccountName=${CHURN_SERVICE_ACCOUNT:-churn-driver}"
      --conf "spark.executor.instances=${CHURN_EXECUTORS:-2}"
      --conf "spark.kubernetes.executor.podTemplateFile=$churn_root/submit/k8s/executor-pod-template.yaml"
      --conf "spark.kubernetes.executor.podTemplateContainerName=executor"
      --conf "spark.driver.extraJavaOptions=-Dlog4j2.configurationFile=/opt/churn/conf/log4j2.properties")
[[ -n "${CHURN_JDBC_SECRET:-}" ]] &&
  opts+=(--conf "spark.kubernetes.driver.secretKeyRef.CHURN_JDBC_PASSWORD=$CHURN_JDBC_SECRET")

churn_ship_files "$@"
if [[ ${#churn_shipped[@]} -gt 0 ]]; then
  if [[ -z "${CHURN_UPLOAD_PATH:-}" ]]; then
    echo "k8s.sh: ${churn_shipped[*]} must reach the driver: set CHURN_UPLOAD_PATH (e.g. s3a://bucket/churn-upload)," \
         "or name a spec inside the image (/opt/churn/conf/sweeps/...)" >&2
    exit 2
  fi
  opts+=(--conf "spark.kubernetes.file.upload.path=$CHURN_UPLOAD_PATH"
         --files "$(IFS=,; echo "${churn_shipped[*]}")")
fi
churn_submit "${opts[@]}" -- "${churn_args[@]}"
