#!/usr/bin/env bash
# Runs a churn command on a Spark standalone cluster, the driver on this machine (client deploy
# mode: it reads the spec here and prints progress here).
#   CHURN_MASTER=spark://head:7077 SPARK_HOME=/opt/spark submit/standalone.sh \
#       sweep conf/sweeps/quickstart.json --jdbc-url jdbc:postgresql://db:5432/churn --results hdfs://nn/churn
#   CHURN_MASTER=spark://head:7077 SPARK_HOME=/opt/spark submit/standalone.sh \
#       resubmit quickstart --jdbc-url jdbc:postgresql://db:5432/churn --results hdfs://nn/churn
# --results must be a file system every worker writes to (HDFS, S3, a shared mount).
# Variables:
#   CHURN_MASTER       master URL, spark://HOST:PORT (required)
#   CHURN_TOTAL_CORES  cores this application takes (spark.cores.max; default: every free core)
# and those of submit/spark-submit.sh: SPARK_HOME, CHURN_JAR, CHURN_SPARK_CONF, CHURN_SPARK_OPTS,
# CHURN_DRIVER_MEMORY, CHURN_DRY_RUN.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/spark-submit.sh"
: "${CHURN_MASTER:?CHURN_MASTER must be the master URL, e.g. spark://head:7077}"
opts=(--master "$CHURN_MASTER" --deploy-mode client)
[[ -n "${CHURN_TOTAL_CORES:-}" ]] && opts+=(--conf "spark.cores.max=$CHURN_TOTAL_CORES")
churn_submit "${opts[@]}" -- "$@"
