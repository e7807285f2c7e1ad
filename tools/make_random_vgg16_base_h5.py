#!/usr/bin/env python3
"""Writes a Keras save_weights-layout .h5 with the SSD300/SSD512 VGG-16 base layers (conv1_1 .. conv5_3,
fc6 as a 3x3 kernel, fc7 1x1) holding He-normal random weights: a stand-in, for demonstrations, for the
published `VGG_ILSVRC_16_layers_fc_reduced.h5`, which cannot be downloaded here.

Usage: /usr/bin/python3 tools/make_random_vgg16_base_h5.py OUT.h5 [--seed 1]
"""
import argparse

import h5py
import numpy as np

LAYERS = [
    ("conv1_1", 3, 3, 64), ("conv1_2", 3, 64, 64),
    ("conv2_1", 3, 64, 128), ("conv2_2", 3, 128, 128),
    ("conv3_1", 3, 128, 256), ("conv3_2", 3, 256, 256), ("conv3_3", 3, 256, 256),
    ("conv4_1", 3, 256, 512), ("conv4_2", 3, 512, 512), ("conv4_3", 3, 512, 512),
    ("conv5_1", 3, 512, 512), ("conv5_2", 3, 512, 512), ("conv5_3", 3, 512, 512),
    ("fc6", 3, 512, 1024), ("fc7", 1, 1024, 1024),
]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    rng = np.random.default_rng(a.seed)
    vlen = h5py.string_dtype(encoding="utf-8")
    with h5py.File(a.out, "w") as f:
        f.attrs.create("layer_names", [name for name, *_ in LAYERS], dtype=vlen)
        f.attrs["backend"] = "tensorflow"
        f.attrs["keras_version"] = "2.1.6"
        for name, k, cin, cout in LAYERS:
            g = f.create_group(name)
            names = [name + "/kernel:0", name + "/bias:0"]
            g.attrs.create("weight_names", names, dtype=vlen)
            std = np.sqrt(2.0 / (k * k * cin))
            g.create_dataset(names[0], data=(rng.standard_normal((k, k, cin, cout)) * std).astype(np.float32))
            g.create_dataset(names[1], data=np.zeros(cout, np.float32))


if __name__ == "__main__":
    main()
