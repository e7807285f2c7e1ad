#!/usr/bin/env python3
"""Batch-1 forward latency of MobileNetV2-SSDLite in PyTorch eager, the peer that `ssd bench --model
mobilenetv2-ssdlite` is compared with in docs/speed.md ("MobileNetV2-SSDLite").

Times the network of tools/mobilenetv2_ssdlite_reference.py (width 1.0, 5 classes, 4 and 6 boxes per
cell, as `ssd bench` builds it) in eval mode under no_grad: the six feature maps, the twelve SSDLite
predictors and the flattening of their outputs into (1, N, 6) class logits and (1, N, 4) offsets,
as the Java network returns them. Variants: batch norm as trained ("eager") and folded into the
convolutions ("folded", what the Java Detector runs), each NCHW and channels_last. With torchvision
installed it also times ssdlite320_mobilenet_v3_large's backbone and head (random weights, no
pre/postprocessing: model.backbone then model.head on a normalised 1x3x300x300 batch).

Per variant: 50 warm-up passes, then the median (and min/max) of --iters passes, milliseconds.

    /usr/bin/python3 tools/mobilenetv2_ssdlite_bench.py --threads 1 [--iters 100] [--json out.json]
"""
import argparse
import copy
import json
import os
import statistics
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mobilenetv2_ssdlite_reference import SsdLite  # noqa: E402

WARMUP = 50
CLASSES = 5
BOXES = [4, 6, 6, 6, 6, 6]


def flat_forward(net, x):
    """The Java network's output: per map NHWC-flattened predictions, concatenated."""
    maps = net.features(x)
    cls, loc = [], []
    for i, m in enumerate(maps):
        cls.append(net.cls[i](m).permute(0, 2, 3, 1).reshape(x.shape[0], -1, CLASSES + 1))
        loc.append(net.loc[i](m).permute(0, 2, 3, 1).reshape(x.shape[0], -1, 4))
    return torch.cat(cls, 1), torch.cat(loc, 1)


def fold_batch_norms(module):
    """Every Conv2d followed by BatchNorm2d in a Sequential becomes one conv with bias."""
    for name, child in module.named_children():
        if isinstance(child, nn.Sequential):
            layers = list(child)
            for i in range(len(layers) - 1):
                if isinstance(layers[i], nn.Conv2d) and isinstance(layers[i + 1], nn.BatchNorm2d):
                    layers[i] = torch.nn.utils.fusion.fuse_conv_bn_eval(layers[i], layers[i + 1])
                    layers[i + 1] = nn.Identity()
            module._modules[name] = nn.Sequential(*layers)
        fold_batch_norms(module._modules[name])
    return module


def time_ms(run, x, iters):
    with torch.no_grad():
        for _ in range(WARMUP):
            run(x)
        times = []
        for _ in range(iters):
            t0 = time.perf_counter()
            run(x)
            times.append((time.perf_counter() - t0) * 1e3)
    return {"median": statistics.median(times), "min": min(times), "max": max(times)}


def variants():
    torch.manual_seed(0)
    eager = SsdLite(1.0, CLASSES, BOXES).eval()
    folded = fold_batch_norms(copy.deepcopy(eager)).eval()
    yield "mobilenetv2_ssdlite_eager", eager, lambda net, x: flat_forward(net, x)
    yield "mobilenetv2_ssdlite_folded", folded, lambda net, x: flat_forward(net, x)
    try:
        from torchvision.models.detection import ssdlite320_mobilenet_v3_large
    except ImportError:
        return
    tv = ssdlite320_mobilenet_v3_large(weights=None, weights_backbone=None).eval()

    def tv_forward(net, x):
        return net.head(list(net.backbone(x).values()))

    yield "torchvision_ssdlite320_mobilenet_v3_large", tv, tv_forward


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--iters", type=int, default=100)
    ap.add_argument("--json")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    results = {"torch": torch.__version__, "threads": args.threads, "iters": args.iters}
    for name, net, fwd in variants():
        for fmt, mf in (("nchw", torch.contiguous_format), ("channels_last", torch.channels_last)):
            m = net.to(memory_format=mf)
            x = torch.rand(1, 3, 300, 300).to(memory_format=mf)
            r = time_ms(lambda t: fwd(m, t), x, args.iters)
            results[f"{name}_{fmt}"] = r
            print(f"{name:44s} {fmt:14s} median {r['median']:7.2f} ms "
                  f"(min {r['min']:.2f}, max {r['max']:.2f})", flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
