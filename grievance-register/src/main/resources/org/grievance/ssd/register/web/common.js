// Shared helpers. Everything user-supplied reaches the page through textContent, never innerHTML.
'use strict';

function el(tag, text, attrs) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (attrs) for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function setTags(container, names) {
  container.replaceChildren(...names.map((n) => el('span', n, { 'data-tag': n })));
}

// `onHeaders`, when given, receives the response's headers (the official page keeps the ETag).
async function api(path, options, onHeaders) {
  const res = await fetch(path, options);
  if (onHeaders) onHeaders(res.headers);
  const type = res.headers.get('Content-Type') || '';
  const body = type.startsWith('application/json') ? await res.json() : null;
  if (!res.ok) {
    const message = body && body.error ? body.error : res.status + ' ' + res.statusText;
    const err = new Error(message);
    err.status = res.status;
    // A 400 about a JSON body names the offending field, e.g. boxes[2].box.xmax.
    err.field = body && body.field ? body.field : null;
    throw err;
  }
  return body;
}

function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}
