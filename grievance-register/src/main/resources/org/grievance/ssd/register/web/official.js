'use strict';
(function () {
  const STATUSES = ['open', 'in_progress', 'resolved', 'rejected'];
  const NEXT = { open: ['in_progress', 'rejected'], in_progress: ['resolved', 'rejected'], resolved: [], rejected: [] };
  let token = sessionStorage.getItem('register-token') || '';
  let page = 1;
  const size = 20;
  let selected = null;
  // The grievance on show as it was read, and its ETag: changes to it are sent with If-Match, so a
  // change made meanwhile by someone else is refused (412) instead of silently overwritten.
  let shown = null;
  let etag = null;
  let classes = [];
  let modelClasses = [];

  const auth = () => ({ Authorization: 'Bearer ' + token });
  const $ = (id) => document.getElementById(id);

  async function login(candidate) {
    $('login-error').textContent = '';
    try {
      await api('/api/grievances?size=1', { headers: { Authorization: 'Bearer ' + candidate } });
    } catch (e) {
      $('login-error').textContent = e.status === 401 ? 'invalid token' : e.message;
      return;
    }
    token = candidate;
    sessionStorage.setItem('register-token', token);
    $('workspace').hidden = false;
    $('logout').hidden = false;
    $('login').hidden = true;
    $('token').hidden = true;
    const model = await api('/api/model');
    modelClasses = model.classes;
    classes = model.classes.concat(['untagged']);
    $('filter-category').replaceChildren(el('option', 'any', { value: '' }), ...classes.map((c) => el('option', c, { value: c })));
    $('new-categories').replaceChildren(...classes.map((c) => el('option', c, { value: c })));
    await refresh();
  }

  async function refresh() {
    await Promise.all([loadStats(), loadList()]);
  }

  async function loadStats() {
    const s = await api('/api/stats');
    const rows = Object.entries(s.byCategoryAndStatus).map(([cat, counts]) => {
      const tr = el('tr', null, { 'data-category': cat });
      tr.append(el('td', cat), ...STATUSES.map((st) => el('td', counts[st] || 0)), el('td', s.byCategory[cat]));
      return tr;
    });
    const total = el('tr', null, { 'data-category': '*' });
    total.append(el('th', 'all work items'), ...STATUSES.map((st) => el('th', s.byStatus[st])), el('th', s.workItems));
    $('stats').tBodies[0].replaceChildren(...rows, total);
  }

  async function loadList() {
    const q = new URLSearchParams({ page, size });
    for (const [key, id] of [['status', 'filter-status'], ['category', 'filter-category'], ['from', 'filter-from'], ['to', 'filter-to'], ['review', 'filter-review']]) {
      if ($(id).value) q.set(key, $(id).value);
    }
    const p = await api('/api/grievances?' + q, { headers: auth() });
    $('grievances').tBodies[0].replaceChildren(...p.items.map((g) => {
      const tr = el('tr', null, { 'data-id': g.id });
      const desc = el('td', g.description, { class: 'description' });
      tr.append(el('td', g.id), el('td', when(g.createdAt)), el('td', g.status, { class: 'status' }),
        el('td', g.categories.join(', ')), desc, el('td', g.mergedInto ? '→ #' + g.mergedInto : g.reports),
        el('td', g.reviewed ? 'reviewed' : (g.reviewPriority != null ? 'priority ' + g.reviewPriority.toFixed(2) : ''), { class: 'review-state' }));
      if (selected === g.id) tr.classList.add('selected');
      tr.addEventListener('click', () => open(g.id));
      return tr;
    }));
    const pages = Math.max(1, Math.ceil(p.total / size));
    $('page-info').textContent = 'page ' + p.page + ' of ' + pages + ' (' + p.total + ')';
    $('prev').disabled = page <= 1;
    $('next').disabled = page >= pages;
    return p;
  }

  /** Shows grievance `id` and opens its boxes in the editor (review.js). */
  async function open(id) {
    if (ReviewEditor.isDirty() && id !== selected &&
        !window.confirm('The boxes of #' + selected + ' have unsaved changes. Leave them?')) return;
    await show(id);
    await ReviewEditor.open({ id, token, classes: modelClasses, onSaved: () => refresh().then(() => show(selected)) });
  }

  /** Opens the first grievance of the review queue other than the one on show. */
  async function nextInQueue() {
    const p = await api('/api/grievances?review=needed&size=2', { headers: auth() });
    const next = p.items.find((g) => g.id !== selected);
    if (next) await open(next.id);
    else $('review-message').textContent = 'The review queue is empty.';
  }

  async function show(id) {
    selected = id;
    let tag = null;
    const g = await api('/api/grievances/' + id, { headers: auth() }, (h) => { tag = h.get('ETag'); });
    shown = g;
    etag = tag;
    $('detail').hidden = false;
    $('detail-id').textContent = '#' + g.id;
    $('detail-status').textContent = g.status;
    showImage(g.links.annotated);
    $('detail-description').textContent = g.description;
    setTags($('detail-categories'), g.categories.map((c) => c.name + (c.score != null ? ' ' + c.score.toFixed(2) : '')));
    $('detail-location').textContent = g.latitude != null ? g.latitude.toFixed(5) + ', ' + g.longitude.toFixed(5) : 'none';
    $('detail-contact').textContent = g.contact || 'none';
    $('detail-merged').textContent = g.mergedInto ? 'Merged into #' + g.mergedInto
      : (g.reports.length ? 'Reports merged here: ' + g.reports.map((r) => '#' + r).join(', ') : '');
    $('duplicates').replaceChildren(...g.possibleDuplicates.map((d) => {
      const li = el('li', '#' + d.id + ' at ' + d.distanceMeters.toFixed(0) + ' m ');
      const b = el('button', 'Merge #' + d.id + ' into #' + g.id, { type: 'button', 'data-merge': d.id });
      b.addEventListener('click', () => change(d.id, { mergeInto: g.id }));
      li.append(b);
      return li;
    }));
    $('duplicates-box').hidden = g.possibleDuplicates.length === 0;
    const allowed = NEXT[g.status] || [];
    for (const o of $('new-status').options) o.disabled = o.value !== '' && !allowed.includes(o.value);
    $('new-status').value = '';
    const current = new Set(g.categories.map((c) => c.name));
    for (const o of $('new-categories').options) o.selected = current.has(o.value);
    $('history').replaceChildren(...g.history.map((h) => el('li',
      when(h.at) + ' · ' + h.actor + ' · ' + h.field + (h.from ? ' ' + h.from : '') + (h.to ? ' → ' + h.to : '') +
      (h.comment ? ' · “' + h.comment + '”' : ''))));
    for (const tr of $('grievances').tBodies[0].rows) tr.classList.toggle('selected', tr.dataset.id === String(id));
  }

  // An <img src> cannot send the token, and the photos of rejected or merged grievances are for
  // officials only: fetch with the token and show the bytes through a blob: URL.
  let imageUrl = null;
  async function showImage(path) {
    const res = await fetch(path, { headers: auth() });
    if (imageUrl) URL.revokeObjectURL(imageUrl);
    imageUrl = res.ok ? URL.createObjectURL(await res.blob()) : null;
    if (imageUrl) $('detail-image').src = imageUrl; else $('detail-image').removeAttribute('src');
  }

  async function change(id, body) {
    $('patch-message').textContent = '';
    const headers = Object.assign({ 'Content-Type': 'application/json' }, auth());
    if (id === selected && etag) headers['If-Match'] = etag;
    try {
      await api('/api/grievances/' + id, { method: 'PATCH', headers, body: JSON.stringify(body) });
      $('patch-message').textContent = 'saved';
      $('comment').value = '';
      await refresh();
      await show(selected);
    } catch (e) {
      if (e.status === 412) {
        // Someone changed it since it was opened: show the current state, keep the comment typed.
        await refresh();
        await show(selected);
        $('patch-message').textContent = 'Not saved: #' + id + ' was changed by someone else since you opened it.' +
          ' It has been reloaded; check it and apply your change again.';
        return;
      }
      $('patch-message').textContent = e.message;
    }
  }

  $('apply').addEventListener('click', () => {
    const body = {};
    if ($('new-status').value) body.status = $('new-status').value;
    const cats = Array.from($('new-categories').selectedOptions).map((o) => o.value);
    // Compared with the grievance as shown, the state the official decided on (and its ETag).
    const before = shown.categories.map((c) => c.name).sort().join(',');
    if (cats.length && cats.slice().sort().join(',') !== before) body.categories = cats;
    const comment = $('comment').value.trim();
    if (comment) body.comment = comment;
    if (Object.keys(body).length === 0) { $('patch-message').textContent = 'nothing to change'; return; }
    return change(selected, body);
  });
  $('login-form').addEventListener('submit', (e) => { e.preventDefault(); login($('token').value.trim()); });
  $('logout').addEventListener('click', () => { sessionStorage.removeItem('register-token'); location.reload(); });
  $('filters').addEventListener('submit', (e) => { e.preventDefault(); page = 1; loadList(); });
  $('review-queue').addEventListener('click', async () => {
    $('filter-review').value = 'needed';
    page = 1;
    const p = await loadList();
    if (p.items.length) await open(p.items[0].id);
  });
  $('review-next').addEventListener('click', () => nextInQueue());
  $('prev').addEventListener('click', () => { page--; loadList(); });
  $('next').addEventListener('click', () => { page++; loadList(); });
  if (token) login(token);
})();
