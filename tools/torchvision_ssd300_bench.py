#!/usr/bin/env python3
"""Latency of torchvision's ssd300_vgg16 (random weights) on CPU, the peer of `ssd bench --model ssd300`.

Prints JSON: model-only (backbone + head: the part our `forward_b*_ms` times) and full eval-mode latency
(torchvision's resize/normalise transform and its post-processing included) at batch 1 and 8, 300x300.
Usage: /usr/bin/python3 tools/torchvision_ssd300_bench.py --threads 2 [--iters 10]
"""
import argparse
import json
import statistics
import time

import torch
import torchvision


def median_ms(fn, iters, warmup=2):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(iters):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--iters", type=int, default=10)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    model = torchvision.models.detection.ssd300_vgg16(
        weights=None, weights_backbone=None, num_classes=21
    ).eval()
    out = {"torch": torch.__version__, "torchvision": torchvision.__version__, "threads": a.threads}
    with torch.no_grad():
        for b in (1, 8):
            x = torch.rand(b, 3, 300, 300)

            def model_only():
                feats = model.backbone(x)
                model.head(list(feats.values()))

            out[f"model_b{b}_ms"] = median_ms(model_only, a.iters)
            images = [img for img in x]
            out[f"full_b{b}_ms"] = median_ms(lambda: model(images), max(3, a.iters // 2))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
