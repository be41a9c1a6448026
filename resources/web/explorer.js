// The exported latent space: the map of encoded test images, a decoder that runs in the browser
// (ONNX Runtime Web, single-threaded wasm), the decoded point and an interpolation strip.
// page-data.js (the map's data and the decoder) and ort-wasm-simd.js (the runtime's WebAssembly)
// come from `vae-explorer export --format web` as scripts, so that the page works opened from disk
// (file://, where a browser fetches nothing) as well as from a server.
'use strict';

// The window's colour of each class, from the export (data.class_colours).
const colourOf = (label) => {
  const colours = state.data.class_colours;
  return colours[((label % colours.length) + colours.length) % colours.length];
};
const stripSteps = 8;

const state = { data: null, session: null, point: null, ends: [null, null], busy: false, queued: null };
const timings = [];

function latentAt(a, b) {
  const { origin, u, v } = state.data.plane;
  return origin.map((o, i) => o + a * u[i] + b * v[i]);
}

async function decode(latents, count) {
  const z = new ort.Tensor('float32', Float32Array.from(latents), [count, state.data.latent_dim]);
  const { images } = await state.session.run({ z });
  return images.data;
}

// One decoded image (channel-major floats in [0,1]) as RGBA pixels.
function toImageData(values, index) {
  const { image_channels: c, image_rows: h, image_cols: w } = state.data;
  const pixels = new ImageData(w, h), plane = h * w, first = index * c * plane;
  for (let p = 0; p < plane; ++p) {
    for (let k = 0; k < 3; ++k)
      pixels.data[4 * p + k] = Math.round(255 * values[first + (c === 3 ? k * plane : 0) + p]);
    pixels.data[4 * p + 3] = 255;
  }
  return pixels;
}

const native = document.createElement('canvas');  // the decoded point at the model's own size

function drawScaled(target, pixels, x, y, size, source = document.createElement('canvas')) {
  source.width = pixels.width;
  source.height = pixels.height;
  source.getContext('2d').putImageData(pixels, 0, 0);
  const context = target.getContext('2d');
  context.imageSmoothingEnabled = false;
  context.drawImage(source, x, y, size, size);
}

function toCanvas(a, b, size) {
  const r = state.data.range;
  return [(a + r) / (2 * r) * size, (r - b) / (2 * r) * size];
}

function drawMap() {
  const canvas = document.getElementById('map'), context = canvas.getContext('2d'), size = canvas.width;
  const { points, labels } = state.data;
  context.fillStyle = '#fff';
  context.fillRect(0, 0, size, size);
  context.strokeStyle = '#ddd';
  const [zeroX, zeroY] = toCanvas(0, 0, size);
  context.beginPath();
  context.moveTo(zeroX, 0); context.lineTo(zeroX, size); context.moveTo(0, zeroY); context.lineTo(size, zeroY);
  context.stroke();
  for (let i = 0; i < labels.length; ++i) {
    const [x, y] = toCanvas(points[2 * i], points[2 * i + 1], size);
    context.fillStyle = colourOf(labels[i]);
    context.fillRect(x - 2, y - 2, 4, 4);
  }
  const marks = [[state.ends[0], 'A'], [state.ends[1], 'B']];
  context.font = 'bold 16px sans-serif';
  for (const [end, name] of marks)
    if (end) { const [x, y] = toCanvas(end.a, end.b, size); context.fillStyle = '#000'; context.fillText(name, x + 6, y - 6); }
  if (state.point) {
    const [x, y] = toCanvas(state.point.a, state.point.b, size);
    context.strokeStyle = '#e4572e';
    context.lineWidth = 2;
    context.beginPath(); context.arc(x, y, 8, 0, 2 * Math.PI); context.moveTo(x - 12, y); context.lineTo(x + 12, y);
    context.moveTo(x, y - 12); context.lineTo(x, y + 12); context.stroke();
    context.lineWidth = 1;
  }
}

async function showPoint(a, b) {
  if (state.busy) { state.queued = [a, b]; return; }  // a drag asks faster than a decode: keep the latest
  state.busy = true;
  const started = performance.now();
  const z = latentAt(a, b);
  const values = await decode(z, 1);
  state.point = { a, b, z };
  const decoded = document.getElementById('decoded');
  drawScaled(decoded, toImageData(values, 0), 0, 0, decoded.width, native);
  timings.push(performance.now() - started);
  document.getElementById('coordinates').textContent =
    `a = ${a.toFixed(3)}, b = ${b.toFixed(3)}; ` + z.map((value, i) => `z${i + 1} = ${value.toFixed(3)}`).join('  ');
  drawMap();
  state.busy = false;
  if (state.queued) { const next = state.queued; state.queued = null; await showPoint(...next); }
}

async function drawStrip() {
  const [from, to] = state.ends;
  if (!from || !to) return;
  const latents = [];
  for (let s = 0; s < stripSteps; ++s)
    for (let i = 0; i < from.z.length; ++i) latents.push(from.z[i] + (to.z[i] - from.z[i]) * s / (stripSteps - 1));
  const values = await decode(latents, stripSteps);
  const strip = document.getElementById('strip'), tile = strip.width / stripSteps;
  for (let s = 0; s < stripSteps; ++s) drawScaled(strip, toImageData(values, s), s * tile + 2, 2, tile - 4);
}

function setEnd(which) {
  if (!state.point) return;
  state.ends[which] = state.point;
  const text = state.ends.map((end, i) => `${'AB'[i]}: ${end ? `(${end.a.toFixed(2)}, ${end.b.toFixed(2)})` : 'not set'}`);
  document.getElementById('ends').textContent = text.join(', ');
  drawMap();
  drawStrip();
}

function mapEvent(event) {
  const canvas = document.getElementById('map'), box = canvas.getBoundingClientRect(), r = state.data.range;
  const a = ((event.clientX - box.left) / box.width) * 2 * r - r;
  const b = r - ((event.clientY - box.top) / box.height) * 2 * r;
  showPoint(a, b);
}

async function start() {
  state.data = window.vaeExport.data;
  const { data } = state;
  document.getElementById('model').textContent =
    `${data.architecture}, ${data.latent_dim}-D latent; ${data.labels.length} test images of ${data.dataset}`;
  document.getElementById('axes').textContent = data.plane.kind === 'pca'
    ? 'The map is the plane of the data\'s first two principal components, through its centre.'
    : 'Axes: z1 across, z2 up.';
  const legend = document.getElementById('legend');
  const names = data.class_names.length ? data.class_names : [...new Set(data.labels)].sort((x, y) => x - y).map(String);
  names.forEach((name, i) => {
    const item = document.createElement('li'), dot = document.createElement('span');
    dot.style.background = colourOf(i);
    item.append(dot, name);
    legend.append(item);
  });
  ort.env.wasm.numThreads = 1;  // the single-threaded build: no cross-origin isolation needed
  ort.env.wasm.simd = true;
  ort.env.wasm.wasmPaths = { 'ort-wasm-simd.wasm': window.vaeOrtWasm };
  const decoder = Uint8Array.from(atob(window.vaeExport.decoder), (c) => c.charCodeAt(0));
  state.session = await ort.InferenceSession.create(decoder, { executionProviders: ['wasm'] });
  drawMap();
  const map = document.getElementById('map');
  map.addEventListener('pointerdown', (event) => { map.setPointerCapture(event.pointerId); mapEvent(event); });
  map.addEventListener('pointermove', (event) => { if (event.buttons) mapEvent(event); });
  document.getElementById('set-a').addEventListener('click', () => setEnd(0));
  document.getElementById('set-b').addEventListener('click', () => setEnd(1));
  await showPoint(0, 0);
}

// For scripts and the browser test: the decoded point at the model's size, and decode timings.
window.vaeExplorer = {
  ready: start(),
  point: () => state.point,
  decodedPixels: () => Array.from(native.getContext('2d').getImageData(0, 0, native.width, native.height).data),
  decodeMilliseconds: () => timings.slice(),
  idle: () => !state.busy && !state.queued,
};
