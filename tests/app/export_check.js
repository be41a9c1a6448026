// Runs exported ONNX models in ONNX Runtime from npm (onnxruntime-node, CPU), as a Node user would.
// Usage: node export_check.js NODE_MODULES FOLDER   (FOLDER as export_check.py's)
// Prints `name max_abs_error` lines; tst_modelexport judges them.
const fs = require('fs');
const ort = require(process.argv[2] + '/onnxruntime-node');
const folder = process.argv[3];

const read = (name) => {
  const bytes = fs.readFileSync(`${folder}/${name}.f32`);
  return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
};
const maxError = (got, want) => got.reduce((worst, value, i) => Math.max(worst, Math.abs(value - want[i])), 0);

(async () => {
  const shapes = JSON.parse(fs.readFileSync(`${folder}/shapes.json`));
  const { count, latent_dim: d, channels, rows, cols } = shapes;
  const decoder = await ort.InferenceSession.create(`${folder}/decoder.onnx`);
  const decoded = await decoder.run({ z: new ort.Tensor('float32', read('z'), [count, d]) });
  console.log('onnx_decode', maxError(decoded.images.data, read('images')));
  console.log('onnx_shape', decoded.images.dims.join('x'));
  // A batch of one through the same file: the batch dimension is dynamic.
  const one = await decoder.run({ z: new ort.Tensor('float32', read('z').slice(0, d), [1, d]) });
  console.log('onnx_decode_one', maxError(one.images.data, read('images').slice(0, channels * rows * cols)));
  const vae = await ort.InferenceSession.create(`${folder}/vae.onnx`);
  const encoded = await vae.run({ x: new ort.Tensor('float32', read('x'), [count, channels, rows, cols]) });
  console.log('onnx_mu', maxError(encoded.mu.data, read('mu')));
  console.log('onnx_logvar', maxError(encoded.logvar.data, read('logvar')));
  console.log('onnx_inputs', decoder.inputNames.join(','), vae.inputNames.join(','));
})().catch((error) => {
  console.error(String(error).split('\n')[0]);
  process.exit(1);
});
