#!/usr/bin/env python3
"""Writes the evaluator check sets (inputs only; expected numbers come from run_references.py).

Standard library only, fixed seeds: running it again reproduces the committed files byte for byte.
  voc/    Pascal VOC layout for py-faster-rcnn's voc_eval: Annotations/*.xml, ImageSets/test.txt,
          detections/det_<class>.txt, plus fixture.json (the same data for the Java test)
  coco/   instances.json (COCO ground truth) and detections.json (COCO result list)
  golden-devkit/  the cases of ../golden/average_precision.json in VOC layout (one folder per case)
"""
import json
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="\n") as f:
        f.write(text)


def voc_xml(image_id, width, height, objects):
    lines = ["<annotation>", "  <filename>%s.jpg</filename>" % image_id,
             "  <size><width>%d</width><height>%d</height><depth>3</depth></size>" % (width, height)]
    for o in objects:
        lines += ["  <object>", "    <name>%s</name>" % o["name"], "    <pose>Unspecified</pose>",
                  "    <truncated>0</truncated>", "    <difficult>%d</difficult>" % o["difficult"],
                  "    <bndbox><xmin>%d</xmin><ymin>%d</ymin><xmax>%d</xmax><ymax>%d</ymax></bndbox>"
                  % tuple(o["bbox"]), "  </object>"]
    lines.append("</annotation>")
    return "\n".join(lines) + "\n"


def write_voc_layout(root, classes, image_ids, objects_by_image, dets_by_class):
    for image_id in image_ids:
        write(os.path.join(root, "Annotations", image_id + ".xml"),
              voc_xml(image_id, 500, 375, objects_by_image[image_id]))
    write(os.path.join(root, "ImageSets", "test.txt"), "".join(i + "\n" for i in image_ids))
    for name in classes:
        rows = dets_by_class.get(name, [])
        write(os.path.join(root, "detections", "det_%s.txt" % name),
              "".join("%s %r %r %r %r %r\n" % tuple(r) for r in rows))


def clamp(v, lo, hi):
    return max(lo, min(hi, v))


def jitter_box(rng, box, rel, decimals):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    out = [x0 + rng.gauss(0, rel * w), y0 + rng.gauss(0, rel * h),
           x1 + rng.gauss(0, rel * w), y1 + rng.gauss(0, rel * h)]
    out = [round(v, decimals) for v in out]
    if out[2] <= out[0]:
        out[2] = out[0] + 1.0
    if out[3] <= out[1]:
        out[3] = out[1] + 1.0
    return out


class Scores:
    """Distinct scores per class (the devkit's quicksort does not order ties)."""

    def __init__(self, rng):
        self.rng, self.used = rng, {}

    def next(self, cls):
        used = self.used.setdefault(cls, set())
        while True:
            s = round(self.rng.random(), 6)
            if s not in used and s > 0:
                used.add(s)
                return s


def make_voc():
    rng = random.Random(20240501)
    classes = ["cat", "dog", "car", "person", "boat"]  # person: no detections, boat: no GT
    image_ids = ["%06d" % i for i in range(1, 15)]
    objects = {i: [] for i in image_ids}
    for image_id in image_ids[:12]:
        for _ in range(rng.randint(1, 6)):
            name = rng.choice(["cat", "cat", "dog", "dog", "car", "car", "person"])
            w, h = rng.randint(10, 200), rng.randint(10, 180)
            x0, y0 = rng.randint(0, 499 - w), rng.randint(0, 374 - h)
            objects[image_id].append({"name": name, "difficult": int(rng.random() < 0.2),
                                      "bbox": [x0, y0, x0 + w, y0 + h]})
    # 000001: two heavily overlapping cats (a second detection of the better box does not fall back).
    objects["000001"] += [{"name": "cat", "difficult": 0, "bbox": [100, 100, 200, 200]},
                          {"name": "cat", "difficult": 0, "bbox": [110, 105, 210, 205]}]
    # 000002: a difficult dog that best-matches a detection above and one below the threshold.
    objects["000002"] += [{"name": "dog", "difficult": 1, "bbox": [300, 50, 400, 150]},
                          {"name": "dog", "difficult": 0, "bbox": [330, 60, 430, 160]}]
    # 000013: a car whose detection has IoU exactly 0.5 (devkit: strict '>' -> false positive).
    objects["000013"] = [{"name": "car", "difficult": 0, "bbox": [100, 100, 109, 109]}]
    # 000014: no objects at all (detections there are false positives).
    scores = Scores(rng)
    dets = {c: [] for c in classes}
    for image_id in image_ids:
        for o in objects[image_id]:
            if o["name"] == "person":
                continue
            for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
                rel = rng.choice([0.02, 0.05, 0.1, 0.25])
                dets[o["name"]].append([image_id, scores.next(o["name"])]
                                       + jitter_box(rng, o["bbox"], rel, rng.choice([0, 1, 2])))
        for _ in range(rng.randint(0, 3)):
            name = rng.choice(["cat", "dog", "car", "boat"])
            w, h = rng.uniform(10, 150), rng.uniform(10, 150)
            x0, y0 = rng.uniform(0, 499 - w), rng.uniform(0, 374 - h)
            dets[name].append([image_id, scores.next(name)]
                              + [round(v, 1) for v in (x0, y0, x0 + w, y0 + h)])
    cat_a = [100.0, 100.0, 200.0, 200.0]
    dets["cat"] += [["000001", scores.next("cat"), *cat_a], ["000001", scores.next("cat"), *cat_a],
                    ["000001", scores.next("cat"), 110.5, 105.25, 209.75, 204.5]]
    dets["dog"] += [["000002", scores.next("dog"), 301.0, 52.0, 398.5, 149.0],
                    ["000002", scores.next("dog"), 290.0, 40.0, 350.0, 100.0]]
    dets["car"] += [["000013", scores.next("car"), 100.0, 100.0, 109.0, 104.0]]
    dets["boat"] += [["000014", scores.next("boat"), 10.0, 10.0, 60.5, 40.25]]
    for c in classes:
        rng.shuffle(dets[c])

    root = os.path.join(HERE, "voc")
    write_voc_layout(root, classes, image_ids, objects, dets)
    fixture = {
        "classes": classes,
        "image_ids": image_ids,
        "ground_truth": [{"image_id": i, "class_id": classes.index(o["name"]) + 1,
                          "box": o["bbox"], "difficult": bool(o["difficult"])}
                         for i in image_ids for o in objects[i]],
        "detections": [{"image_id": r[0], "class_id": classes.index(c) + 1, "score": r[1],
                        "box": r[2:]} for c in classes for r in dets[c]],
    }
    write(os.path.join(root, "fixture.json"), json.dumps(fixture, indent=1) + "\n")


def quarter(rng, lo, hi):
    return rng.randint(int(lo * 4), int(hi * 4)) / 4.0


def make_coco():
    rng = random.Random(977)
    names = ["person", "car", "dog", "kite", "zebra"]  # kite: no detections, zebra: no GT
    images = [{"id": i, "file_name": "c%02d.jpg" % i, "width": 640, "height": 480} for i in range(1, 11)]
    anns = []

    def add_gt(image_id, cat, x, y, w, h, crowd=0, area=None):
        derive = area is None
        anns.append({"id": len(anns) + 1, "image_id": image_id, "category_id": cat,
                     "bbox": [x, y, w, h], "area": w * h if derive else area, "iscrowd": crowd,
                     "derive_area": derive})

    for img in images[:9]:
        for _ in range(rng.randint(2, 8)):
            cat = rng.choice([1, 1, 2, 2, 3, 4])
            lo, hi = rng.choice([(4, 30), (33, 90), (100, 300)])
            w, h = quarter(rng, lo, hi), quarter(rng, lo, hi)
            x, y = quarter(rng, 0, 639 - w), quarter(rng, 0, 479 - h)
            r = rng.random()
            if r < 0.1:
                add_gt(img["id"], cat, x, y, w, h, crowd=1, area=round(w * h * 0.7, 2))
            elif r < 0.35:
                add_gt(img["id"], cat, x, y, w, h, area=round(w * h * rng.uniform(0.5, 1.0), 2))
            else:
                add_gt(img["id"], cat, x, y, w, h)
    # Area-range boundaries (both ends inclusive) and IoU exactly 0.5 / 0.75.
    add_gt(2, 3, 400.0, 300.0, 40.0, 40.0, area=1024.0)
    add_gt(3, 3, 100.0, 100.0, 100.0, 100.0, area=9216.0)
    add_gt(4, 2, 10.0, 10.0, 40.0, 40.0)
    add_gt(5, 2, 10.0, 10.0, 40.0, 40.0)
    # A crowd region that absorbs several detections.
    add_gt(6, 1, 200.0, 150.0, 200.0, 150.0, crowd=1, area=20000.0)
    # Image 10 has no ground truth.

    dets = []

    def add_det(image_id, cat, box, score):
        x0, y0, x1, y1 = box
        dets.append({"image_id": image_id, "category_id": cat, "score": score,
                     "corners": [x0, y0, x1, y1]})

    def jitter(g, rel):
        x, y, w, h = g["bbox"]
        return jitter_box(rng, [x, y, x + w, y + h], rel, rng.choice([1, 2, 3]))

    for g in list(anns):
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            if g["category_id"] == 4:
                continue
            add_det(g["image_id"], g["category_id"], jitter(g, rng.choice([0.02, 0.08, 0.2])),
                    round(rng.random(), 3))
    add_det(4, 2, [10.0, 10.0, 50.0, 30.0], 0.61)   # IoU 0.5 exactly
    add_det(5, 2, [10.0, 10.0, 50.0, 40.0], 0.62)   # IoU 0.75 exactly
    for k in range(4):
        add_det(6, 1, [210.0 + 20 * k, 160.0, 260.0 + 20 * k, 240.0], round(rng.random(), 3))
    # More than 100 person detections in image 1 (maxDets 100 truncation), some score ties.
    person1 = [g for g in anns if g["image_id"] == 1 and g["category_id"] == 1 and not g["iscrowd"]]
    for k in range(130):
        if person1 and k % 3 == 0:
            box = jitter(rng.choice(person1), 0.15)
        else:
            w, h = rng.uniform(5, 200), rng.uniform(5, 200)
            x, y = rng.uniform(0, 639 - w), rng.uniform(0, 479 - h)
            box = [round(v, 2) for v in (x, y, x + w, y + h)]
        add_det(1, 1, box, round(rng.random(), 2))
    for img in images:
        for _ in range(rng.randint(1, 4)):
            w, h = rng.uniform(5, 250), rng.uniform(5, 250)
            x, y = rng.uniform(0, 639 - w), rng.uniform(0, 479 - h)
            add_det(img["id"], rng.choice([1, 2, 3, 5]), [round(v, 1) for v in (x, y, x + w, y + h)],
                    round(rng.random(), 2))
    rng.shuffle(dets)
    results = []
    for d in dets:
        x0, y0, x1, y1 = d["corners"]
        results.append({"image_id": d["image_id"], "category_id": d["category_id"],
                        "bbox": [x0, y0, x1 - x0, y1 - y0], "score": d["score"], "corners": d["corners"]})
    gt = {"info": {"description": "ssd-core CocoEvaluator check set"}, "images": images,
          "annotations": anns,
          "categories": [{"id": i + 1, "name": n, "supercategory": "thing"} for i, n in enumerate(names)]}
    root = os.path.join(HERE, "coco")
    write(os.path.join(root, "instances.json"), json.dumps(gt, indent=1) + "\n")
    write(os.path.join(root, "detections.json"), json.dumps(results, indent=1) + "\n")


def make_golden_devkit():
    """The golden AP cases in VOC layout, so that the devkit scores them too (integer GT boxes)."""
    with open(os.path.join(HERE, "..", "golden", "average_precision.json")) as f:
        golden = json.load(f)
    for case in golden["cases"]:
        classes = ["class%d" % c for c in range(1, case["n_classes"] + 1)]
        objects = {}
        for k, image_id in enumerate(case["image_ids"]):
            neutral = case["eval_neutral"][k] if case["eval_neutral"] else None
            objects[image_id] = [{"name": classes[int(row[0]) - 1],
                                  "difficult": int(bool(neutral and neutral[j])),
                                  "bbox": [int(v) for v in row[1:]]}
                                 for j, row in enumerate(case["ground_truth"][k])]
        dets = {classes[c - 1]: [list(p) for p in case["predictions"][c]]
                for c in range(1, case["n_classes"] + 1)}
        write_voc_layout(os.path.join(HERE, "golden-devkit", case["name"]), classes,
                         case["image_ids"], objects, dets)


if __name__ == "__main__":
    make_voc()
    make_coco()
    make_golden_devkit()
