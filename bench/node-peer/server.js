// The Node.js peer for bench/serving: the same model and request body as Ferry, answered in the
// Open Inference Protocol's JSON shape by onnxruntime-node behind Node's own http module.
// Usage: node server.js MODEL.onnx PORT
'use strict';
const http = require('http');
const ort = require('onnxruntime-node');

const [modelPath, port] = process.argv.slice(2);

const arrays = {
  FP32: Float32Array, FP64: Float64Array, INT32: Int32Array, INT64: BigInt64Array,
};
const types = { FP32: 'float32', FP64: 'float64', INT32: 'int32', INT64: 'int64' };

async function main() {
  const session = await ort.InferenceSession.create(modelPath, {
    intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential',
  });
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      try {
        const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const feeds = {};
        for (const input of request.inputs) {
          const Array = arrays[input.datatype];
          const data = input.datatype === 'INT64' ? input.data.flat(Infinity).map(BigInt) : input.data.flat(Infinity);
          feeds[input.name] = new ort.Tensor(types[input.datatype], Array.from(data), input.shape);
        }
        const results = await session.run(feeds);
        const outputs = [];
        for (const name of session.outputNames) {
          const t = results[name];
          if (!t || !t.dims) continue;
          const datatype = Object.keys(types).find((k) => types[k] === t.type) || 'FP32';
          outputs.push({ name, datatype, shape: t.dims, data: Array.from(t.data, (v) => (typeof v === 'bigint' ? Number(v) : v)) });
        }
        const body = JSON.stringify({ model_name: 'peer', model_version: '1', outputs });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      } catch (e) {
        const body = JSON.stringify({ error: String(e && e.message) });
        res.writeHead(400, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      }
    });
  });
  server.keepAliveTimeout = 60000;
  server.listen(Number(port), '127.0.0.1');
}

main().catch((e) => { console.error(e); process.exit(1); });
