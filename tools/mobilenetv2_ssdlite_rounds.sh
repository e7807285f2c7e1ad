#!/usr/bin/env bash
# Times MobileNetV2-SSDLite at batch 1, 300x300, ours and PyTorch's back to back, ROUNDS rounds per
# thread count, so that load from other processes hits both alike (docs/speed.md, "MobileNetV2-SSDLite").
# BASE_SSD (optional): a second ./ssd launcher (e.g. a build of an older commit) timed in the same rounds.
# TORCH_ITERS (optional, default 100): timed PyTorch passes per variant (its 50 warm-up passes stay).
# TORCH_BLAS_DIR (optional): a BLAS directory put first on LD_LIBRARY_PATH for the PyTorch runs only.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${ROUNDS:-2}"
for threads in ${THREADS:-1 2}; do
  for round in $(seq 1 "$rounds"); do
    for launcher in ${BASE_SSD:-} "$root/ssd"; do
      echo "== ours ($launcher) threads=$threads round=$round"
      "$launcher" bench --model mobilenetv2-ssdlite --image-size 300x300 --train-steps 0 --iters 100 \
        --threads "$threads" --no-batch8 2>/dev/null | grep -E "_ms"
    done
    echo "== torch threads=$threads round=$round"
    LD_LIBRARY_PATH="${TORCH_BLAS_DIR:-}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" OPENBLAS_NUM_THREADS="$threads" \
      /usr/bin/python3 "$root/tools/mobilenetv2_ssdlite_bench.py" --threads "$threads" --iters "${TORCH_ITERS:-100}"
  done
done
