#!/usr/bin/env bash
# Spark's GPU discovery script (spark.executor.resource.gpu.discoveryScript, and for standalone
# workers spark.worker.resource.gpu.discoveryScript): prints this host's GPUs as Spark resource
# information, e.g. {"name": "gpu", "addresses": ["0", "1"]}. The addresses are nvidia-smi's
# indices; executors set CUDA_DEVICE_ORDER=PCI_BUS_ID so that CUDA numbers the GPUs the same way.
set -euo pipefail
addresses=$(nvidia-smi --query-gpu=index --format=csv,noheader | tr -d ' ' | sed 's/.*/"&"/' | paste -sd, -)
echo "{\"name\": \"gpu\", \"addresses\": [${addresses}]}"
