#!/usr/bin/env python3
"""Independent PyTorch definition of MobileNetV2-SSDLite, used to generate the parameter-count and
feature-map fixture that MobileNetV2SsdLiteTest checks the Java network against.

Written from the MobileNetV2 paper (Sandler et al. 2018, Table 2 and section 6.2) and the
conventions stated in MobileNetV2Base's javadoc (torchvision's channel rounding, TF object
detection's extra-layer depths), not from the Java code. Run with Debian's python3-torch:

    /usr/bin/python3 tools/mobilenetv2_ssdlite_reference.py > \
        ssd-core/src/test/resources/mobilenet/mobilenetv2_ssdlite_reference.json
"""
import json

import torch
from torch import nn


def divisible(v, d=8):
    n = max(d, int(v + d / 2) // d * d)
    return n + d if n < 0.9 * v else n


def cbr(cin, cout, k, s=1, groups=1, act=True):
    layers = [nn.Conv2d(cin, cout, k, s, k // 2, groups=groups, bias=False), nn.BatchNorm2d(cout)]
    if act:
        layers.append(nn.ReLU6())
    return nn.Sequential(*layers)


class Bottleneck(nn.Module):
    def __init__(self, cin, cout, s, t):
        super().__init__()
        hid = cin * t
        self.expand = cbr(cin, hid, 1) if t != 1 else nn.Identity()
        self.rest = nn.Sequential(cbr(hid, hid, 3, s, hid), cbr(hid, cout, 1, act=False))
        self.res = s == 1 and cin == cout

    def forward(self, x):
        e = self.expand(x)
        y = self.rest(e)
        return e, (x + y if self.res else y)


class Backbone(nn.Module):
    TABLE = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1),
             (6, 160, 3, 2), (6, 320, 1, 1)]

    def __init__(self, width):
        super().__init__()
        c = divisible(32 * width)
        self.stem = cbr(3, c, 3, 2)
        blocks = []
        for t, ch, n, s in self.TABLE:
            out = divisible(ch * width)
            for i in range(n):
                blocks.append(Bottleneck(c, out, s if i == 0 else 1, t))
                c = out
        self.blocks = nn.ModuleList(blocks)
        self.last_channels = divisible(1280 * max(1.0, width))
        self.last = cbr(c, self.last_channels, 1)

    def forward(self, x):
        x = self.stem(x)
        tap = None
        for i, b in enumerate(self.blocks):
            e, x = b(x)
            if i == 13:
                tap = e
        return tap, self.last(x)


class SsdLite(nn.Module):
    def __init__(self, width, classes, boxes):
        super().__init__()
        self.backbone = Backbone(width)
        depth = lambda d: max(int(d * width), 16)
        extras = []
        cin = self.backbone.last_channels
        for d in (512, 256, 256, 128):
            extras.append(nn.Sequential(cbr(cin, depth(d // 2), 1),
                                        cbr(depth(d // 2), depth(d // 2), 3, 2, depth(d // 2)),
                                        cbr(depth(d // 2), depth(d), 1)))
            cin = depth(d)
        self.extras = nn.ModuleList(extras)
        self.eval()
        with torch.no_grad():
            chans = [m.shape[1] for m in self.features(torch.zeros(1, 3, 96, 96))]
        self.cls = nn.ModuleList(self.head(c, b * (classes + 1)) for c, b in zip(chans, boxes))
        self.loc = nn.ModuleList(self.head(c, b * 4) for c, b in zip(chans, boxes))

    @staticmethod
    def head(c, out):
        return nn.Sequential(cbr(c, c, 3, 1, c), nn.Conv2d(c, out, 1))

    def features(self, x):
        tap, x = self.backbone(x)
        maps = [tap, x]
        for e in self.extras:
            x = e(x)
            maps.append(x)
        return maps


def counts(module):
    trainable = sum(p.numel() for p in module.parameters())
    running = sum(b.numel() for n, b in module.named_buffers() if n.endswith(("running_mean", "running_var")))
    return {"trainable": trainable, "bn_running": running}


def macs(module, run):
    """Multiply-accumulates of convolutions, counted from the outputs torch really produces."""
    total = [0]

    def hook(m, _inp, out):
        total[0] += out.numel() // out.shape[0] * (m.weight.numel() // m.weight.shape[0])

    handles = [m.register_forward_hook(hook) for m in module.modules() if isinstance(m, nn.Conv2d)]
    with torch.no_grad():
        run()
    for h in handles:
        h.remove()
    return total[0]


def full_forward(net, x):
    maps = net.features(x)
    for i, m in enumerate(maps):
        net.cls[i](m)
        net.loc[i](m)


def main():
    out = []
    for width in (1.0, 0.5):
        for classes in (5, 20):
            boxes = [4, 6, 6, 6, 6, 6]
            net = SsdLite(width, classes, boxes).eval()
            entry = {"width": width, "classes": classes, "boxes_per_cell": boxes,
                     "total": counts(net), "backbone": counts(net.backbone)}
            shapes = {}
            for h, w in ((300, 300), (144, 192), (97, 131)):
                with torch.no_grad():
                    maps = net.features(torch.zeros(1, 3, h, w))
                shapes[f"{h}x{w}"] = [list(m.shape[1:]) for m in maps]
            entry["feature_maps"] = shapes
            entry["macs_300x300"] = macs(net, lambda: full_forward(net, torch.zeros(1, 3, 300, 300)))
            entry["backbone_macs_224x224"] = macs(
                net.backbone, lambda: net.backbone(torch.zeros(1, 3, 224, 224)))
            out.append(entry)
    print(json.dumps({"generator": "tools/mobilenetv2_ssdlite_reference.py",
                      "torch": torch.__version__, "models": out}, indent=1))


if __name__ == "__main__":
    main()
