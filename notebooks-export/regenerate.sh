#!/usr/bin/env bash
# Regenerates the exported reports in this folder from the two example jobs:
#   notebooks-export/regenerate.sh
# Builds the jar, runs the quick-start sweep and the example PBT (each skips what churn-work
# already holds), then exports both reports and the README's chart.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
mvn -B -q -DskipTests package
submit/local.sh sweep conf/sweeps/quickstart.json
submit/local.sh pbt conf/pbt/wine.json
charts="$(mktemp -d)"
trap 'rm -rf "$charts"' EXIT
submit/local.sh report --sweep quickstart --out notebooks-export --charts "$charts"
submit/local.sh report --pbt pbt-wine --out notebooks-export
cp "$charts/sweep-quickstart-test-loss-by-epoch-and-size-median-over.png" notebooks-export/quickstart-test-loss.png
