'use strict';
(function () {
  const photo = document.getElementById('photo');
  const drop = document.getElementById('drop');
  const canvas = document.getElementById('preview');
  const submit = document.getElementById('submit');
  const error = document.getElementById('error');
  const form = document.getElementById('report-form');
  const photoLocationBox = document.getElementById('photo-location-box');
  const usePhotoLocation = document.getElementById('use-photo-location');
  const useLocation = document.getElementById('use-location');
  let file = null;
  let coords = null;

  const PALETTE = ['#E6194B', '#2E9E44', '#4A6CE0', '#E8740C', '#A23CC8', '#0E9AA7'];

  async function choose(f) {
    file = f;
    error.textContent = '';
    document.getElementById('drop-text').textContent = f.name;
    document.getElementById('preview-box').hidden = false;
    document.getElementById('detect-status').textContent = 'detecting…';
    setTags(document.getElementById('tags'), []);
    submit.disabled = true;
    // The photo's position is offered per photo, and never chosen for the citizen.
    photoLocationBox.hidden = true;
    usePhotoLocation.checked = false;
    const img = new Image();
    img.src = URL.createObjectURL(f);
    await img.decode().catch(() => {});
    canvas.width = img.naturalWidth || 1;
    canvas.height = img.naturalHeight || 1;
    // Browsers draw a photo upright (its EXIF orientation applied), which is the frame the boxes
    // come back in.
    const g = canvas.getContext('2d');
    g.drawImage(img, 0, 0);
    try {
      const r = await api('/api/detect', { method: 'POST', body: f, headers: { 'Content-Type': 'application/octet-stream' } });
      const model = await api('/api/model');
      g.lineWidth = Math.max(2, Math.round(Math.min(canvas.width, canvas.height) / 200));
      g.font = 'bold ' + Math.max(12, Math.round(canvas.height / 28)) + 'px sans-serif';
      for (const d of r.detections.slice().reverse()) {
        const c = PALETTE[(d.classId - 1) % PALETTE.length];
        const b = d.box;
        g.strokeStyle = c;
        g.strokeRect(b.xmin, b.ymin, b.xmax - b.xmin, b.ymax - b.ymin);
        g.fillStyle = c;
        g.fillText(d.class + ' ' + d.score.toFixed(2), b.xmin + 3, Math.max(14, b.ymin - 4));
      }
      canvas.dataset.boxes = String(r.detections.length);
      setTags(document.getElementById('tags'), r.tags.length ? r.tags : ['untagged']);
      photoLocationBox.hidden = !r.photoHasLocation;
      document.getElementById('detect-status').textContent =
        '(' + model.name + ', ' + r.millis + ' ms)';
      submit.disabled = false;
    } catch (e) {
      document.getElementById('detect-status').textContent = '';
      error.textContent = e.message;
    }
  }

  photo.addEventListener('change', () => photo.files[0] && choose(photo.files[0]));
  ['dragenter', 'dragover'].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.add('over'); }));
  ['dragleave', 'drop'].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.remove('over'); }));
  drop.addEventListener('drop', (e) => e.dataTransfer.files[0] && choose(e.dataTransfer.files[0]));

  function clearBrowserLocation() {
    coords = null;
    useLocation.checked = false;
    document.getElementById('location-text').textContent = '';
  }

  // One location at most: the photo's or the browser's.
  usePhotoLocation.addEventListener('change', () => { if (usePhotoLocation.checked) clearBrowserLocation(); });

  useLocation.addEventListener('change', (e) => {
    const text = document.getElementById('location-text');
    coords = null;
    text.textContent = '';
    if (!e.target.checked) return;
    usePhotoLocation.checked = false;
    if (!navigator.geolocation) { text.textContent = 'location not available'; return; }
    text.textContent = 'locating…';
    navigator.geolocation.getCurrentPosition(
      (p) => {
        if (!useLocation.checked) return; // unticked (or the photo's chosen) while locating
        coords = p.coords;
        text.textContent = p.coords.latitude.toFixed(5) + ', ' + p.coords.longitude.toFixed(5);
      },
      () => { text.textContent = 'location refused or unavailable'; e.target.checked = false; },
      { timeout: 10000 });
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!file) return;
    error.textContent = '';
    submit.disabled = true;
    const data = new FormData();
    data.append('photo', file);
    data.append('description', document.getElementById('description').value);
    const contact = document.getElementById('contact').value.trim();
    if (contact) data.append('contact', contact);
    if (usePhotoLocation.checked && !photoLocationBox.hidden) {
      data.append('useLocationFromPhoto', 'true');
    } else if (coords) {
      data.append('latitude', coords.latitude);
      data.append('longitude', coords.longitude);
    }
    try {
      const r = await api('/api/grievances', { method: 'POST', body: data });
      document.getElementById('tracking-id').textContent = r.trackingId;
      setTags(document.getElementById('result-tags'), r.categories);
      const link = document.getElementById('tracking-link');
      link.href = r.pageUrl;
      document.getElementById('result').hidden = false;
      form.hidden = true;
    } catch (err) {
      error.textContent = err.message;
      submit.disabled = false;
    }
  });

  async function track() {
    const m = /track=([a-z2-7]{26})/.exec(location.hash);
    const section = document.getElementById('track-section');
    if (!m) { section.hidden = true; return; }
    try {
      const g = await api('/api/grievances/' + m[1]);
      document.getElementById('track-id').textContent = g.trackingId;
      document.getElementById('track-status').textContent = g.status;
      setTags(document.getElementById('track-categories'), g.categories.map((c) => c.name));
      document.getElementById('track-history').replaceChildren(...g.history.map((h) =>
        el('li', when(h.at) + ': ' + h.field + (h.to ? ' → ' + h.to : '') + (h.comment ? ' (' + h.comment + ')' : ''))));
      section.hidden = false;
    } catch (e) {
      section.hidden = true;
    }
  }
  window.addEventListener('hashchange', track);
  track();
})();
