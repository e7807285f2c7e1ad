#!/usr/bin/env bash
# Reproduces the speed tables of docs/speed.md and the README in one sitting: the allocator study, then SSD7,
# SSD300 and MobileNetV2-SSDLite, each of ours next to its PyTorch peer, one after the other. Run it from a fresh
# clone on an idle machine. The peers need Debian's python3-torch and python3-torchvision
# (apt-get install python3-torch python3-torchvision; check that nothing the product picks up, such as
# libjemalloc2, comes with them). About 30 minutes on 2 cores.
# Usage: tools/speed_sitting.sh [OUT_DIR]        (default: speed-sitting)
set -u
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-speed-sitting}"
mkdir -p "$out"
cd "$root"
echo "== start $(date -u) load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== allocator study (batch 16)"
tools/allocator_study.sh "$out/allocator-study" 45 45
echo "== ssd7 ours"
./ssd bench --model ssd7 --image-size 300x480 --iters 50 --train-steps 12 --json "$out/ssd7.json" 2>&1 | tail -8
echo "== ssd7 PyTorch, default layout"
/usr/bin/python3 tools/torch_ssd7.py --threads 2 --iters 50 --train-iters 12
echo "== ssd7 PyTorch, channels-last"
/usr/bin/python3 tools/torch_ssd7.py --threads 2 --iters 50 --train-iters 12 --channels-last
echo "== ssd300 ours"
./ssd bench --model ssd300 --classes 20 --train-steps 0 --iters 20 --json "$out/ssd300.json" 2>&1 | tail -6
echo "== ssd300 torchvision"
/usr/bin/python3 tools/torchvision_ssd300_bench.py --threads 2 --iters 20
echo "== MobileNetV2-SSDLite rounds"
ROUNDS=2 THREADS="1 2" TORCH_ITERS=30 tools/mobilenetv2_ssdlite_rounds.sh
echo "== end $(date -u)"
