#!/usr/bin/env python3
"""Scores the check sets with the reference implementations and writes the expected numbers.

Usage: /usr/bin/python3 run_references.py VOC_EVAL_DIR COCO_PYTHONAPI_DIR
  VOC_EVAL_DIR        folder holding py-faster-rcnn's lib/datasets/voc_eval.py (ported to Python 3,
                      see README.md)
  COCO_PYTHONAPI_DIR  cocoapi's PythonAPI folder with pycocotools built in place
Contains no code of either project: it only imports and calls them.
"""
import contextlib
import io
import json
import os
import sys
import tempfile
import xml.etree.ElementTree as ET

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, sys.argv[1])
sys.path.insert(0, sys.argv[2])
from voc_eval import voc_ap, voc_eval  # noqa: E402
from pycocotools.coco import COCO  # noqa: E402
from pycocotools.cocoeval import COCOeval  # noqa: E402


def num(v):
    v = float(v)
    return "NaN" if v != v else v


def npos_of(root, image_ids, name):
    n = 0
    for i in image_ids:
        for obj in ET.parse(os.path.join(root, "Annotations", i + ".xml")).findall("object"):
            if obj.find("name").text == name and int(obj.find("difficult").text) == 0:
                n += 1
    return n


def score_voc(root, classes):
    with open(os.path.join(root, "ImageSets", "test.txt")) as f:
        image_ids = [l.strip() for l in f if l.strip()]
    runs = []
    for thr in (0.5, 0.7):
        for use07 in (True, False):
            out = []
            for class_id, name in enumerate(classes, start=1):
                det_file = os.path.join(root, "detections", "det_%s.txt" % name)
                with open(det_file) as f:
                    n_det = sum(1 for l in f if l.strip())
                npos = npos_of(root, image_ids, name)
                entry = {"class_id": class_id, "name": name, "npos": npos, "num_detections": n_det}
                if npos == 0:
                    entry.update(source="definition: no ground truth", ap="NaN", precision=[], recall=[])
                elif n_det == 0:
                    # voc_eval itself fails on an empty detection file (IndexError); its voc_ap on the
                    # empty curve gives the devkit's answer.
                    ap = voc_ap(np.array([]), np.array([]), use07)
                    entry.update(source="devkit voc_ap on an empty curve", ap=num(ap), precision=[], recall=[])
                else:
                    with tempfile.TemporaryDirectory() as cache, contextlib.redirect_stdout(io.StringIO()):
                        rec, prec, ap = voc_eval(
                            os.path.join(root, "detections", "det_{}.txt"),
                            os.path.join(root, "Annotations", "{}.xml"),
                            os.path.join(root, "ImageSets", "test.txt"), name, cache,
                            ovthresh=thr, use_07_metric=use07)
                    entry.update(source="devkit voc_eval", ap=num(ap),
                                 precision=[num(v) for v in prec], recall=[num(v) for v in rec])
                out.append(entry)
            with_gt = [e["ap"] for e in out if e["npos"] > 0]
            runs.append({"iou_threshold": thr,
                         "metric": "VOC07_11_POINT" if use07 else "VOC2010_ALL_POINT",
                         "classes": out, "mean_ap": num(np.mean(with_gt))})
    return {"classes": classes, "runs": runs}


def score_coco(root):
    with contextlib.redirect_stdout(io.StringIO()):
        gt = COCO(os.path.join(root, "instances.json"))
        dt = gt.loadRes(os.path.join(root, "detections.json"))
        ev = COCOeval(gt, dt, "bbox")
        ev.evaluate()
        ev.accumulate()
        ev.summarize()
    names = ["ap", "ap50", "ap75", "apSmall", "apMedium", "apLarge",
             "ar1", "ar10", "ar100", "arSmall", "arMedium", "arLarge"]
    per_class = []
    for k, cat_id in enumerate(ev.params.catIds):
        p = ev.eval["precision"][:, :, k, 0, -1]
        p = p[p > -1]
        per_class.append({"class_id": int(cat_id), "name": gt.cats[cat_id]["name"],
                          "ap": num(np.mean(p)) if p.size else "NaN"})
    return {"stats": {n: num(v) for n, v in zip(names, ev.stats)}, "per_class": per_class,
            "iou_thresholds": [num(v) for v in ev.params.iouThrs]}


def dump(path, obj):
    with open(path, "w", newline="\n") as f:
        f.write(json.dumps(obj, indent=1) + "\n")


if __name__ == "__main__":
    with open(os.path.join(HERE, "voc", "fixture.json")) as f:
        voc_classes = json.load(f)["classes"]
    dump(os.path.join(HERE, "voc", "expected.json"), score_voc(os.path.join(HERE, "voc"), voc_classes))
    dump(os.path.join(HERE, "coco", "expected.json"), score_coco(os.path.join(HERE, "coco")))
    with open(os.path.join(HERE, "..", "golden", "average_precision.json")) as f:
        golden = json.load(f)
    cases = {}
    for case in golden["cases"]:
        classes = ["class%d" % c for c in range(1, case["n_classes"] + 1)]
        cases[case["name"]] = score_voc(os.path.join(HERE, "golden-devkit", case["name"]), classes)
    dump(os.path.join(HERE, "golden-devkit", "expected.json"), cases)
