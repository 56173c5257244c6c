#!/usr/bin/env bash
# Runs a churn command on Hadoop YARN, the driver in a container of the cluster (cluster deploy
# mode), so the submitting machine may go away; its output is in the application's logs
# (yarn logs -applicationId ID).
#   HADOOP_CONF_DIR=/etc/hadoop/conf SPARK_HOME=/opt/spark submit/yarn.sh \
#       sweep conf/sweeps/butter-core.json --jdbc-url jdbc:postgresql://db:5432/churn --results hdfs:///churn
#   HADOOP_CONF_DIR=/etc/hadoop/conf SPARK_HOME=/opt/spark submit/yarn.sh \
#       resubmit butter-core --jdbc-url jdbc:postgresql://db:5432/churn --results hdfs:///churn
# A sweep's SPEC and a --jdbc-password-file are local files: they are shipped with the application
# (--files) and the driver reads its copies.
# Variables:
#   HADOOP_CONF_DIR         the cluster's Hadoop configuration: yarn-site.xml, core-site.xml (required)
#   CHURN_QUEUE             YARN queue (default: default)
#   CHURN_EXECUTORS         executors to start (default 2; spark.executor.cores each, from the conf)
#   CHURN_DEPLOY_MODE       cluster (default), or client to keep the driver here
#   CHURN_SPARK_JARS        where containers find Spark's jars (spark.yarn.jars). Default: this
#                           SPARK_HOME's jars are uploaded with every application. local:/opt/spark/jars/*
#                           when Spark is installed on every node, or hdfs:///spark/jars/* uploaded once.
#   CHURN_YARN_JAVA_HOME    a Java 17 installed on every node, when the nodes' default Java is older
#   CHURN_YARN_JDK_ARCHIVE  or a Java 17 shipped with the application: a .tar.gz of a JDK's contents
#                           (bin/java at its top), e.g. tar -C "$JAVA_HOME" -czf jdk17.tar.gz .
# and those of submit/spark-submit.sh: SPARK_HOME, CHURN_JAR, CHURN_SPARK_CONF, CHURN_SPARK_OPTS,
# CHURN_DRIVER_MEMORY, CHURN_DRY_RUN.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/spark-submit.sh"
: "${HADOOP_CONF_DIR:?HADOOP_CONF_DIR must name the folder of the cluster yarn-site.xml}"
export HADOOP_CONF_DIR
mode="${CHURN_DEPLOY_MODE:-cluster}"
opts=(--master yarn --deploy-mode "$mode" --queue "${CHURN_QUEUE:-default}"
      --num-executors "${CHURN_EXECUTORS:-2}")
[[ -n "${CHURN_SPARK_JARS:-}" ]] && opts+=(--conf "spark.yarn.jars=$CHURN_SPARK_JARS")
if [[ -n "${CHURN_YARN_JDK_ARCHIVE:-}" ]]; then
  opts+=(--archives "$CHURN_YARN_JDK_ARCHIVE#jdk17")
  CHURN_YARN_JAVA_HOME=./jdk17
fi
if [[ -n "${CHURN_YARN_JAVA_HOME:-}" ]]; then
  opts+=(--conf "spark.yarn.appMasterEnv.JAVA_HOME=$CHURN_YARN_JAVA_HOME"
         --conf "spark.executorEnv.JAVA_HOME=$CHURN_YARN_JAVA_HOME")
fi

churn_args=("$@")
if [[ "$mode" == cluster ]]; then
  churn_ship_files "$@"
  [[ ${#churn_shipped[@]} -gt 0 ]] && opts+=(--files "$(IFS=,; echo "${churn_shipped[*]}")")
fi
churn_submit "${opts[@]}" -- "${churn_args[@]}"
