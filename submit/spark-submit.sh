# Sourced by the cluster launchers (standalone.sh, yarn.sh, k8s.sh, slurm.sbatch): runs
# spark-submit with churn's application jar and Spark settings, then the churn command line.
#   churn_submit SPARK-SUBMIT-OPTIONS... -- CHURN-COMMAND...
# Variables:
#   SPARK_HOME           Spark installation (required). Its bin/spark-submit is used; a SPARK_HOME
#                        holding only jars/ (e.g. submit/spark-home/target after mvn package) is run
#                        with plain java.
#   CHURN_JAR            application jar (default: spark-jobs/target/churn-cluster.jar), a path
#                        here or a URI Spark reads (local:///opt/churn/churn-cluster.jar in an image)
#   CHURN_SPARK_CONF     Spark properties file (default: conf/spark-defaults.conf); it is used instead
#                        of $SPARK_HOME/conf/spark-defaults.conf
#   CHURN_SPARK_OPTS     more spark-submit options, split on spaces, e.g.
#                        "--executor-memory 8g --conf spark.executor.memoryOverhead=6g"
#   CHURN_DRIVER_MEMORY  driver heap (default 4g)
#   CHURN_DRY_RUN        1: print the spark-submit command instead of running it

churn_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$churn_root/submit/java-opens.sh"

churn_submit() {
  local -a spark_opts=() churn_args=()
  while [[ $# -gt 0 && "$1" != "--" ]]; do spark_opts+=("$1"); shift; done
  [[ $# -gt 0 ]] && shift
  churn_args=("$@")
  if [[ ${#churn_args[@]} -eq 0 ]]; then
    echo "usage: $(basename "$0") COMMAND [ARGS...]   e.g. sweep SPEC --jdbc-url URL, resubmit SWEEP --jdbc-url URL" >&2
    return 2
  fi
  : "${SPARK_HOME:?SPARK_HOME must name a Spark installation (or submit/spark-home/target)}"
  export SPARK_HOME
  local jar="${CHURN_JAR:-$churn_root/spark-jobs/target/churn-cluster.jar}"
  local conf="${CHURN_SPARK_CONF:-$churn_root/conf/spark-defaults.conf}"
  local driver_memory="${CHURN_DRIVER_MEMORY:-4g}"
  local -a extra=()
  read -r -a extra <<< "${CHURN_SPARK_OPTS:-}"
  if [[ "${CHURN_DRY_RUN:-0}" != 1 && "$jar" != *://* && ! -f "$jar" ]]; then
    echo "no application jar at $jar: build it with mvn -DskipTests package" >&2
    return 2
  fi

  # a driver running here (client deploy mode) logs as submit/local.sh does: churn's progress, Spark's warnings
  local log_conf=()
  [[ " ${spark_opts[*]} ${extra[*]} " == *" --deploy-mode cluster "* ]] ||
    log_conf=(-Dlog4j2.configurationFile="$churn_root/conf/log4j2.properties")

  local -a submit
  if [[ -x "$SPARK_HOME/bin/spark-submit" ]]; then
    submit=("$SPARK_HOME/bin/spark-submit")
    [[ ${#log_conf[@]} -gt 0 ]] && submit+=(--driver-java-options "${log_conf[*]}")
  else
    # spark-submit's own launcher would start this JVM with the driver's memory, the module flags
    # and the Hadoop configuration on the class path; without it they go on the java command line
    submit=(java -Xmx"$driver_memory" "${JAVA_OPENS[@]}" "${log_conf[@]}"
            -cp "${HADOOP_CONF_DIR:+$HADOOP_CONF_DIR:}$SPARK_HOME/jars/*" org.apache.spark.deploy.SparkSubmit)
  fi
  submit+=(--properties-file "$conf" --driver-memory "$driver_memory" --class io.churn.cli.Churn
           "${spark_opts[@]}" "${extra[@]}" "$jar"
           "${churn_args[@]}")
  if [[ "${CHURN_DRY_RUN:-0}" == 1 ]]; then
    printf '%q ' "${submit[@]}"
    echo
    return 0
  fi
  "${submit[@]}"
}

# For a driver in the cluster (cluster deploy mode), which cannot see this machine's files: the
# local files among the churn arguments (a sweep's SPEC, a --jdbc-password-file) are listed in
# churn_shipped for spark-submit's --files, and churn_args names them as the driver's copies, which
# Spark places in the driver's working folder.
#   churn_ship_files CHURN-ARGS...
churn_ship_files() {
  churn_args=("$@")
  churn_shipped=()
  local i
  for i in "${!churn_args[@]}"; do
    if { [[ $i -eq 1 && "${churn_args[0]}" == sweep ]] ||
         [[ $i -gt 0 && "${churn_args[i-1]}" == --jdbc-password-file ]]; } && [[ -f "${churn_args[i]}" ]]; then
      churn_shipped+=("$(cd "$(dirname "${churn_args[i]}")" && pwd)/$(basename "${churn_args[i]}")")
      churn_args[i]="$(basename "${churn_args[i]}")"
    fi
  done
}

# Runs a Spark daemon (Master, Worker) in the foreground in place of this shell: the distribution's
# spark-class where there is one, else java over SPARK_HOME's jars (which then needs
# SPARK_SCALA_VERSION=2.12 in the environment for the Worker to start executors).
churn_spark_class() {
  if [[ -x "$SPARK_HOME/bin/spark-class" ]]; then
    exec "$SPARK_HOME/bin/spark-class" "$@"
  fi
  exec java -Xmx"${SPARK_DAEMON_MEMORY:-1g}" "${JAVA_OPENS[@]}" -cp "$SPARK_HOME/jars/*" "$@"
}
