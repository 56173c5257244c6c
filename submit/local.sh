#!/usr/bin/env bash
# Runs churn on this machine with Spark local[*]: no Spark installation, no database to set up.
#   submit/local.sh sweep conf/sweeps/quickstart.json
# Builds the jar first if it is missing. CHURN_MASTER picks another local master (e.g. local[2]);
# CHURN_DRIVER_MEMORY sets the heap (default 4g).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/spark-jobs/target/churn.jar"
classpath_file="$root/spark-jobs/target/classpath.txt"
runtime_classpath_file="$root/spark-jobs/target/runtime-classpath.txt"
if [[ ! -f "$jar" || ! -f "$classpath_file" || ! -f "$runtime_classpath_file" ]]; then
  echo "churn: building the jar (first run only; later runs start at once)..." >&2
  (cd "$root" && mvn -B -q -DskipTests package) >&2
fi
source "$root/submit/java-opens.sh"
# one native BLAS/OpenMP thread per Spark task: tasks already use every core
export OMP_NUM_THREADS=1
exec java -Xmx"${CHURN_DRIVER_MEMORY:-4g}" "${JAVA_OPENS[@]}" \
  -Dspark.master="${CHURN_MASTER:-local[*]}" \
  -Dlog4j2.configurationFile="$root/conf/log4j2.properties" \
  -cp "$jar:$(cat "$classpath_file"):$(cat "$runtime_classpath_file")" io.churn.cli.Churn "$@"
