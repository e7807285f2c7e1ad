// The officials' box editor: shows a grievance's photo with its boxes (the detector's proposal, or
// what an official saved), lets the official move, resize, delete and draw boxes and set their
// classes with mouse, touch or keyboard, and saves them with PUT /api/grievances/{id}/annotations.
//
// The photo is an <image> inside an <svg> whose viewBox is the photo's size in pixels, so every
// coordinate here is an image pixel whatever size the page shows it at: pointer positions are
// mapped back through the SVG's screen transform. Pointer Events cover mouse, pen and touch alike.
// Uses el() and api() from common.js; no inline script or style (the CSP forbids both).
'use strict';
const ReviewEditor = (function () {
  const SVG = 'http://www.w3.org/2000/svg';
  const MIN_SIZE = 2; // boxes drawn smaller than this (pixels) are taps, not boxes
  const $ = (id) => document.getElementById(id);

  let current = null; // {id, token, classes, onSaved}
  let width = 0;
  let height = 0;
  let boxes = []; // [{cls, xmin, ymin, xmax, ymax}] in image pixels
  let selected = -1;
  let etag = null;
  let imageUrl = null;
  let drag = null; // what a pointer is doing: {mode, pointerId, start, orig, corner}
  let dirty = false;

  const auth = () => ({ Authorization: 'Bearer ' + current.token });

  function svgEl(tag, attrs) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    return e;
  }

  function message(text, isError) {
    $('review-message').textContent = text;
    $('review-message').classList.toggle('error', Boolean(isError));
  }

  /** Opens grievance `options.id` in the editor; `options.classes` are the model's classes. */
  async function open(options) {
    current = options;
    $('review').hidden = false;
    $('review-id').textContent = '#' + options.id;
    $('review-class').replaceChildren(...options.classes.map((c) => el('option', c, { value: c })));
    message('');
    try {
      await load();
    } catch (e) {
      boxes = [];
      selected = -1;
      dirty = false;
      $('review-canvas').replaceChildren();
      message('Cannot show the boxes: ' + e.message, true);
    }
  }

  /** Reads the boxes (and their ETag) and the photo again; local edits are dropped. */
  async function load() {
    let tag = null;
    const a = await api('/api/grievances/' + current.id + '/annotations', { headers: auth() },
      (h) => { tag = h.get('ETag'); });
    etag = tag;
    width = a.imageWidth;
    height = a.imageHeight;
    boxes = a.boxes.map((b) => ({ cls: b.class, xmin: b.box.xmin, ymin: b.box.ymin, xmax: b.box.xmax, ymax: b.box.ymax }));
    selected = -1;
    dirty = false;
    $('review-reviewed').checked = a.source === 'detector' ? true : a.reviewed;
    $('review-source').textContent = a.source === 'detector'
      ? 'the detector’s proposal (not saved yet)'
      : (a.reviewed ? 'reviewed by ' + a.reviewedBy + ', ' + when(a.reviewedAt)
        : 'in progress, saved by ' + a.updatedBy + ', ' + when(a.updatedAt));
    $('review-source').dataset.source = a.source;
    const res = await fetch('/api/grievances/' + current.id + '/image', { headers: auth() });
    if (imageUrl) URL.revokeObjectURL(imageUrl);
    imageUrl = res.ok ? URL.createObjectURL(await res.blob()) : null;
    const svg = $('review-canvas');
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    svg.setAttribute('width', width);
    svg.setAttribute('height', height);
    svg.dataset.width = width;
    svg.dataset.height = height;
    render();
  }

  /** Image pixels per screen pixel: keeps handles and labels one size on screen. */
  function scale() {
    const r = $('review-canvas').getBoundingClientRect();
    return r.width > 0 ? width / r.width : 1;
  }

  function render() {
    const svg = $('review-canvas');
    const s = scale();
    const parts = [];
    if (imageUrl) parts.push(svgEl('image', { href: imageUrl, x: 0, y: 0, width, height, class: 'review-photo' }));
    // Larger boxes first, so a small box inside a large one is on top and can be picked.
    const order = boxes.map((b, i) => i).sort((i, j) => area(boxes[j]) - area(boxes[i]));
    for (const i of order) {
      const b = boxes[i];
      const k = Math.max(0, current.classes.indexOf(b.cls));
      const g = svgEl('g', { class: 'box cls-' + (k % 6) + (i === selected ? ' selected' : ''), 'data-index': i, 'data-class': b.cls });
      g.append(svgEl('rect', { class: 'box-rect', x: b.xmin, y: b.ymin, width: b.xmax - b.xmin, height: b.ymax - b.ymin }));
      const label = svgEl('text', { x: b.xmin + 3 * s, y: b.ymin + 13 * s, 'font-size': 12 * s, class: 'box-label' });
      label.textContent = (i + 1) + ' ' + b.cls;
      g.append(label);
      if (i === selected) {
        const h = 12 * s;
        for (const [corner, x, y] of [['nw', b.xmin, b.ymin], ['ne', b.xmax, b.ymin], ['sw', b.xmin, b.ymax], ['se', b.xmax, b.ymax]]) {
          g.append(svgEl('rect', { class: 'handle', 'data-corner': corner, x: x - h / 2, y: y - h / 2, width: h, height: h }));
        }
      }
      parts.push(g);
    }
    svg.replaceChildren(...parts);
    const b = boxes[selected];
    $('review-selection').textContent = b
      ? 'Box ' + (selected + 1) + ' of ' + boxes.length + ': ' + b.cls + ' at ' + [b.xmin, b.ymin, b.xmax, b.ymax].map(fmt).join(', ')
      : boxes.length + ' boxes; none selected';
    if (b) $('review-class').value = b.cls;
    $('review-delete').disabled = !b;
  }

  const area = (b) => (b.xmax - b.xmin) * (b.ymax - b.ymin);
  const fmt = (v) => String(Math.round(v * 10) / 10);
  const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

  function select(i) {
    selected = i;
    render();
  }

  function changed() {
    dirty = true;
    message('unsaved changes');
    render();
  }

  /** The image pixel under a pointer event. */
  function pixel(e) {
    const svg = $('review-canvas');
    const p = svg.createSVGPoint();
    p.x = e.clientX;
    p.y = e.clientY;
    const q = p.matrixTransform(svg.getScreenCTM().inverse());
    return { x: clamp(q.x, 0, width), y: clamp(q.y, 0, height) };
  }

  function onPointerDown(e) {
    if (!current || e.button > 0) return;
    const svg = $('review-canvas');
    svg.focus();
    const p = pixel(e);
    const handle = e.target.closest('.handle');
    const group = e.target.closest('g.box');
    if (handle && group) {
      drag = { mode: 'resize', corner: handle.dataset.corner, index: Number(group.dataset.index) };
    } else if (group) {
      const i = Number(group.dataset.index);
      select(i);
      drag = { mode: 'move', index: i, start: p, orig: Object.assign({}, boxes[i]) };
    } else {
      drag = { mode: 'draw', start: p, index: -1 };
    }
    drag.pointerId = e.pointerId;
    svg.setPointerCapture(e.pointerId);
    e.preventDefault();
  }

  function onPointerMove(e) {
    if (!drag || e.pointerId !== drag.pointerId) return;
    const p = pixel(e);
    if (drag.mode === 'move') {
      const o = drag.orig;
      const w = o.xmax - o.xmin;
      const h = o.ymax - o.ymin;
      // Whole-pixel steps: a box the detector placed at fractions of a pixel keeps its fractions.
      const xmin = clamp(o.xmin + Math.round(p.x - drag.start.x), 0, width - w);
      const ymin = clamp(o.ymin + Math.round(p.y - drag.start.y), 0, height - h);
      if (xmin === boxes[drag.index].xmin && ymin === boxes[drag.index].ymin) return;
      Object.assign(boxes[drag.index], { xmin, ymin, xmax: xmin + w, ymax: ymin + h });
      changed();
    } else if (drag.mode === 'resize') {
      const b = boxes[drag.index];
      const x = Math.round(p.x);
      const y = Math.round(p.y);
      if (drag.corner.includes('w')) b.xmin = Math.min(x, b.xmax - 1); else b.xmax = Math.max(x, b.xmin + 1);
      if (drag.corner.includes('n')) b.ymin = Math.min(y, b.ymax - 1); else b.ymax = Math.max(y, b.ymin + 1);
      changed();
    } else if (drag.mode === 'draw') {
      const r = {
        cls: $('review-class').value || current.classes[0],
        xmin: Math.round(Math.min(drag.start.x, p.x)), ymin: Math.round(Math.min(drag.start.y, p.y)),
        xmax: Math.round(Math.max(drag.start.x, p.x)), ymax: Math.round(Math.max(drag.start.y, p.y)),
      };
      if (drag.index < 0) {
        if (r.xmax - r.xmin < MIN_SIZE || r.ymax - r.ymin < MIN_SIZE) return;
        boxes.push(r);
        drag.index = boxes.length - 1;
        selected = drag.index;
      } else {
        boxes[drag.index] = r;
      }
      changed();
    }
  }

  function onPointerUp(e) {
    if (!drag || e.pointerId !== drag.pointerId) return;
    if (drag.mode === 'draw') {
      const b = boxes[drag.index];
      if (b && (b.xmax - b.xmin < MIN_SIZE || b.ymax - b.ymin < MIN_SIZE)) {
        boxes.splice(drag.index, 1);
        selected = -1;
      } else if (drag.index < 0) {
        selected = -1; // a tap on the photo outside every box
      }
      render();
    }
    drag = null;
  }

  /** Moves (or, with `resize`, grows the right/bottom edge of) the selected box by dx, dy. */
  function nudge(dx, dy, resize) {
    const b = boxes[selected];
    if (!b) return;
    if (resize) {
      b.xmax = clamp(b.xmax + dx, b.xmin + 1, width);
      b.ymax = clamp(b.ymax + dy, b.ymin + 1, height);
    } else {
      const w = b.xmax - b.xmin;
      const h = b.ymax - b.ymin;
      b.xmin = clamp(b.xmin + dx, 0, width - w);
      b.ymin = clamp(b.ymin + dy, 0, height - h);
      b.xmax = b.xmin + w;
      b.ymax = b.ymin + h;
    }
    changed();
  }

  function cycleClass(step) {
    const b = boxes[selected];
    const n = current.classes.length;
    if (!b || n === 0) return;
    b.cls = current.classes[(current.classes.indexOf(b.cls) + step + n) % n];
    changed();
  }

  function removeSelected() {
    if (selected < 0) return;
    boxes.splice(selected, 1);
    selected = Math.min(selected, boxes.length - 1);
    changed();
  }

  /** A box in the middle of the photo, a quarter of its size, for drawing without a pointer. */
  function addBox() {
    const w = Math.max(MIN_SIZE, Math.round(width / 4));
    const h = Math.max(MIN_SIZE, Math.round(height / 4));
    const xmin = Math.round((width - w) / 2);
    const ymin = Math.round((height - h) / 2);
    boxes.push({ cls: $('review-class').value || current.classes[0], xmin, ymin, xmax: xmin + w, ymax: ymin + h });
    selected = boxes.length - 1;
    changed();
  }

  function onKeyDown(e) {
    if (!current) return;
    const step = e.shiftKey ? 10 : 1;
    const arrows = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (e.key === 'Tab') {
      // Tab walks through the boxes; past the last (or first) one it leaves the photo as usual.
      const next = selected + (e.shiftKey ? -1 : 1);
      const start = selected < 0 ? (e.shiftKey ? boxes.length - 1 : 0) : next;
      if (start >= 0 && start < boxes.length) {
        select(start);
        e.preventDefault();
      } else {
        select(-1);
      }
      return;
    }
    if (arrows[e.key] && selected >= 0) {
      nudge(arrows[e.key][0], arrows[e.key][1], e.altKey);
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      removeSelected();
    } else if (e.key === 'c' || e.key === 'C') {
      cycleClass(e.shiftKey ? -1 : 1);
    } else if (e.key === 'n') {
      addBox();
    } else if (e.key === 'r') {
      $('review-reviewed').checked = !$('review-reviewed').checked;
      changed();
    } else if (e.key === 'Escape') {
      select(-1);
    } else if (e.key === 'Enter') {
      save();
    } else {
      return;
    }
    e.preventDefault();
  }

  /** Ctrl+S (Cmd+S) saves from anywhere in the editor, instead of saving the page. */
  function onSectionKeyDown(e) {
    if ((e.ctrlKey || e.metaKey) && (e.key === 's' || e.key === 'S')) {
      e.preventDefault();
      save();
    }
  }

  async function save() {
    if (!current) return;
    const body = {
      reviewed: $('review-reviewed').checked,
      boxes: boxes.map((b) => ({ class: b.cls, box: { xmin: b.xmin, ymin: b.ymin, xmax: b.xmax, ymax: b.ymax } })),
    };
    const headers = Object.assign({ 'Content-Type': 'application/json' }, auth());
    if (etag) headers['If-Match'] = etag;
    message('saving…');
    try {
      let tag = null;
      const a = await api('/api/grievances/' + current.id + '/annotations',
        { method: 'PUT', headers, body: JSON.stringify(body) }, (h) => { tag = h.get('ETag'); });
      etag = tag;
      dirty = false;
      $('review-source').textContent = a.reviewed ? 'reviewed by ' + a.reviewedBy + ', ' + when(a.reviewedAt)
        : 'in progress, saved by ' + a.updatedBy + ', ' + when(a.updatedAt);
      $('review-source').dataset.source = a.source;
      message('saved: ' + a.boxes.length + ' boxes' + (a.reviewed ? ', reviewed' : ', in progress'));
      if (current.onSaved) current.onSaved(a);
    } catch (e) {
      if (e.status === 412) {
        message('Not saved: someone else saved boxes for #' + current.id + ' since you opened it.' +
          ' Your edits are still here; press Revert to see theirs.', true);
        return;
      }
      // A 400 names the field, e.g. boxes[2].box.xmax: select that box so it can be fixed.
      const m = /^boxes\[(\d+)\]/.exec(e.field || '');
      if (m && Number(m[1]) < boxes.length) select(Number(m[1]));
      message('Not saved: ' + e.message, true);
    }
  }

  function init() {
    const svg = $('review-canvas');
    if (!svg) return;
    svg.addEventListener('pointerdown', onPointerDown);
    svg.addEventListener('pointermove', onPointerMove);
    svg.addEventListener('pointerup', onPointerUp);
    svg.addEventListener('pointercancel', onPointerUp);
    svg.addEventListener('keydown', onKeyDown);
    $('review').addEventListener('keydown', onSectionKeyDown);
    $('review-class').addEventListener('change', () => {
      const b = boxes[selected];
      if (b) { b.cls = $('review-class').value; changed(); }
    });
    $('review-reviewed').addEventListener('change', () => { dirty = true; message('unsaved changes'); });
    $('review-save').addEventListener('click', save);
    $('review-delete').addEventListener('click', removeSelected);
    $('review-add').addEventListener('click', addBox);
    $('review-reload').addEventListener('click', () => load().catch((e) => message(e.message, true)));
    window.addEventListener('resize', () => { if (current) render(); });
  }

  init();
  return { open, isDirty: () => dirty };
})();
