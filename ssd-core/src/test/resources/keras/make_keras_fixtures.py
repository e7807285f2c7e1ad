#!/usr/bin/python3
"""Writes the Keras-layout .h5 fixtures and the independent SSD300 reference output.

Run from this directory with Debian's python3-torch, python3-h5py and python3-numpy:

    /usr/bin/python3 make_keras_fixtures.py

Nothing here uses the Java code. Weights and the input image are defined by a seeded integer
hash (``hashed_uniform``) that the Java test (``KerasFixtureWeights``) reimplements, so the full
26 M-parameter SSD300 weight set never has to be committed: the tests rebuild it bit for bit and
compare their forward pass with the output this script computes with its own PyTorch
implementation of SSD300 written from the reference's behaviour
(docs/reference-behaviour.md#ssd300 in the repository root).

Outputs (all small):
  keras_full_model.h5    a model.save() layout: model_weights group with layer_names /
                         weight_names attributes (fixed-length byte strings), weightless layers
                         with an empty weight_names, an optimizer_weights group to ignore
  keras_save_weights.h5  a save_weights() layout written like a converter: only weighted
                         layers, variable-length string attributes, dataset names weights_0:0 /
                         weights_1:0 and a Keras-1 style conv4_3_norm_gamma:0 directly in its group
  keras_shape_mismatch.h5  save_weights() layout, conv1_1 with 8 instead of 64 filters
  ssd300_expected.h5     SSD300 (2 object classes) forward output for the hashed input:
                         class_logits (8732, 3), box_offsets (8732, 4), float32
"""
import json

import h5py
import numpy as np
import torch
import torch.nn.functional as F

MASK = 0xFFFFFFFF
CLASSES = 2  # object classes; +1 background
SIDE = 300


def java_hash(name):
    """Java's String.hashCode, as an unsigned 32-bit value."""
    h = 0
    for ch in name:
        h = (31 * h + ord(ch)) & MASK
    return h


def hashed_uniform(name, tensor, n):
    """n values in [0, 1), multiples of 2^-24, from (name, tensor index, element index)."""
    i = np.arange(n, dtype=np.uint64)
    seed = np.uint64((java_hash(name) * 0x85EBCA77 + tensor * 0xC2B2AE3D) & MASK)
    x = (i * np.uint64(0x9E3779B1) + seed) & np.uint64(MASK)
    x ^= x >> np.uint64(16)
    x = (x * np.uint64(0x7FEB352D)) & np.uint64(MASK)
    x ^= x >> np.uint64(15)
    x = (x * np.uint64(0x846CA68B)) & np.uint64(MASK)
    x ^= x >> np.uint64(16)
    return (x >> np.uint64(8)).astype(np.float64) / float(1 << 24)


def kernel(name, kh, kw, cin, cout):
    """Keras layout (kh, kw, in, out): He-uniform, conv1_1 scaled down so activations stay O(1)."""
    bound = np.sqrt(6.0 / (kh * kw * cin))
    if name == "conv1_1":
        bound /= 64.0
    u = hashed_uniform(name, 0, kh * kw * cin * cout)
    return ((2.0 * u - 1.0) * bound).astype(np.float32).reshape(kh, kw, cin, cout)


def bias(name, cout):
    return ((2.0 * hashed_uniform(name, 1, cout) - 1.0) * 0.05).astype(np.float32)


def gamma(name, c):
    return (10.0 + 20.0 * hashed_uniform(name, 0, c)).astype(np.float32)


def image():
    """(1, 3, 300, 300) RGB 0..255, flat index in NCHW order."""
    u = hashed_uniform("input", 0, 3 * SIDE * SIDE)
    return (u * 255.0).astype(np.float32).reshape(1, 3, SIDE, SIDE)


# ------------------------------------------ SSD300 as docs/reference-behaviour.md#ssd300 describes it

VGG = [
    ("conv1_1", 3, 64), ("conv1_2", 64, 64), "pool",
    ("conv2_1", 64, 128), ("conv2_2", 128, 128), "pool",
    ("conv3_1", 128, 256), ("conv3_2", 256, 256), ("conv3_3", 256, 256), "pool",
    ("conv4_1", 256, 512), ("conv4_2", 512, 512), ("conv4_3", 512, 512), "pool",
    ("conv5_1", 512, 512), ("conv5_2", 512, 512), ("conv5_3", 512, 512), "pool5",
]
# name, in, out, kernel, stride, zero padding before a 'valid' conv (TF 'same' for 3x3/1 = 1)
EXTRAS = [
    ("fc6", 512, 1024, 3, 1, 6, 6),  # dilation 6, 'same'
    ("fc7", 1024, 1024, 1, 1, 0, 1),
    ("conv6_1", 1024, 256, 1, 1, 0, 1),
    ("conv6_2", 256, 512, 3, 2, 1, 1),
    ("conv7_1", 512, 128, 1, 1, 0, 1),
    ("conv7_2", 128, 256, 3, 2, 1, 1),
    ("conv8_1", 256, 128, 1, 1, 0, 1),
    ("conv8_2", 128, 256, 3, 1, 0, 1),
    ("conv9_1", 256, 128, 1, 1, 0, 1),
    ("conv9_2", 128, 256, 3, 1, 0, 1),
]
SOURCES = [("conv4_3_norm", 512, 4), ("fc7", 1024, 6), ("conv6_2", 512, 6),
           ("conv7_2", 256, 6), ("conv8_2", 256, 4), ("conv9_2", 256, 4)]


def all_weights():
    """layer name -> list of Keras-layout arrays, in the Keras model's order."""
    w = {}
    for item in VGG:
        if isinstance(item, tuple):
            n, cin, cout = item
            w[n] = [kernel(n, 3, 3, cin, cout), bias(n, cout)]
    for n, cin, cout, k, _, _, _ in EXTRAS:
        w[n] = [kernel(n, k, k, cin, cout), bias(n, cout)]
    w["conv4_3_norm"] = [gamma("conv4_3_norm", 512)]
    for src, c, boxes in SOURCES:
        for suffix, per_box in (("_mbox_conf", CLASSES + 1), ("_mbox_loc", 4)):
            n = src + suffix
            w[n] = [kernel(n, 3, 3, c, boxes * per_box), bias(n, boxes * per_box)]
    return w


def conv(x, weights, stride=1, pad=0, dilation=1):
    k = torch.from_numpy(weights[0]).permute(3, 2, 0, 1).contiguous()  # HWIO -> OIHW
    b = torch.from_numpy(weights[1])
    if pad:
        x = F.pad(x, (pad, pad, pad, pad))  # explicit zero padding, then a 'valid' convolution
    return F.conv2d(x, k, b, stride=stride, dilation=dilation)


def same_pool_2x2(x):
    """TF 'same' 2x2/2 max pool: odd sizes get one padded row/column at the bottom/right."""
    h, w = x.shape[2], x.shape[3]
    x = F.pad(x, (0, w % 2, 0, h % 2), value=float("-inf"))
    return F.max_pool2d(x, 2, 2)


def ssd300_forward(img, w):
    x = torch.from_numpy(img).double()
    mean = torch.tensor([123.0, 117.0, 104.0], dtype=torch.float64).view(1, 3, 1, 1)
    x = (x - mean)[:, [2, 1, 0]]  # subtract the RGB mean, then RGB -> BGR
    wd = {n: [a.astype(np.float64) for a in v] for n, v in w.items()}
    features = []
    for item in VGG:
        if item == "pool":
            x = same_pool_2x2(x)
        elif item == "pool5":
            x = F.max_pool2d(F.pad(x, (1, 1, 1, 1), value=float("-inf")), 3, 1)
        else:
            x = F.relu(conv(x, wd[item[0]], pad=1))
            if item[0] == "conv4_3":
                norm = torch.sqrt(torch.clamp((x * x).sum(dim=1, keepdim=True), min=1e-12))
                g = torch.from_numpy(wd["conv4_3_norm"][0]).view(1, -1, 1, 1)
                features.append(x / norm * g)
    for n, _, _, _, stride, pad, dil in EXTRAS:
        x = F.relu(conv(x, wd[n], stride=stride, pad=pad, dilation=dil))
        if n in ("fc7", "conv6_2", "conv7_2", "conv8_2", "conv9_2"):
            features.append(x)
    logits, offsets = [], []
    for (src, _, _), f in zip(SOURCES, features):
        c = conv(f, wd[src + "_mbox_conf"], pad=1).permute(0, 2, 3, 1).reshape(1, -1, CLASSES + 1)
        l = conv(f, wd[src + "_mbox_loc"], pad=1).permute(0, 2, 3, 1).reshape(1, -1, 4)
        logits.append(c)
        offsets.append(l)
    return torch.cat(logits, 1)[0].numpy(), torch.cat(offsets, 1)[0].numpy()


# ----------------------------------------------------------------------------------- h5 files

def fixed(names):
    return np.array([n.encode("utf8") for n in names])


def write_full_model(path, w):
    """Keras 2 model.save(): weights under model_weights, names as fixed-length byte strings."""
    layers = ["input_1", "identity_layer", "conv1_1", "pool1", "conv4_3_norm", "dense_extra"]
    extra = [kernel("dense_extra", 1, 1, 4, 2).reshape(4, 2), bias("dense_extra", 2)]
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = b"2.1.6"
        f.attrs["backend"] = b"tensorflow"
        f.attrs["model_config"] = json.dumps({"class_name": "Model"}).encode("utf8")
        g = f.create_group("model_weights")
        g.attrs["layer_names"] = fixed(layers)
        g.attrs["backend"] = b"tensorflow"
        for layer in layers:
            lg = g.create_group(layer)
            if layer in ("conv1_1", "dense_extra"):
                arrays = w[layer] if layer == "conv1_1" else extra
                names = [layer + "/kernel:0", layer + "/bias:0"]
            elif layer == "conv4_3_norm":
                arrays = w[layer]
                names = [layer + "/conv4_3_norm_gamma:0"]
            else:
                arrays, names = [], []
            lg.attrs["weight_names"] = fixed(names) if names else np.array([], dtype=np.float64)
            for name, a in zip(names, arrays):
                lg.create_dataset(name, data=a)
        o = f.create_group("optimizer_weights")
        o.create_dataset("training/SGD/Variable:0", data=np.zeros((3, 3, 3, 64), np.float32))


def write_save_weights(path, layers, names, arrays):
    """save_weights() written like a converter: weighted layers only, vlen string attributes."""
    vlen = h5py.string_dtype(encoding="utf-8")
    with h5py.File(path, "w") as f:
        f.attrs.create("layer_names", layers, dtype=vlen)
        f.attrs["backend"] = "tensorflow"
        for layer in layers:
            lg = f.create_group(layer)
            lg.attrs.create("weight_names", names[layer], dtype=vlen)
            for name, a in zip(names[layer], arrays[layer]):
                lg.create_dataset(name, data=a)


def main():
    torch.set_num_threads(2)
    w = all_weights()
    write_full_model("keras_full_model.h5", w)
    write_save_weights(
        "keras_save_weights.h5",
        ["conv1_1", "conv4_3_norm"],
        {
            "conv1_1": ["conv1_1/weights_0:0", "conv1_1/weights_1:0"],
            # Keras-1 style: the dataset sits directly in the layer group
            "conv4_3_norm": ["conv4_3_norm_gamma:0"],
        },
        w,
    )
    write_save_weights(
        "keras_shape_mismatch.h5",
        ["conv1_1"],
        {"conv1_1": ["conv1_1/kernel:0", "conv1_1/bias:0"]},
        {"conv1_1": [w["conv1_1"][0][:, :, :, :8], w["conv1_1"][1][:8]]},
    )
    logits, offsets = ssd300_forward(image(), w)
    assert logits.shape == (8732, CLASSES + 1) and offsets.shape == (8732, 4)
    with h5py.File("ssd300_expected.h5", "w") as f:
        f.attrs["description"] = (
            "SSD300, %d object classes, hashed weights and input (see make_keras_fixtures.py), "
            "forward computed in float64 with PyTorch from the spec" % CLASSES)
        f.create_dataset("class_logits", data=logits.astype(np.float32))
        f.create_dataset("box_offsets", data=offsets.astype(np.float32))
    print("logits range", logits.min(), logits.max(), "offsets range", offsets.min(), offsets.max())
    print("first rows", logits[:2], offsets[:2])


if __name__ == "__main__":
    main()
