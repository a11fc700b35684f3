// `npm run fake:vertex [-- --port 8098]`: the tests' fake Vertex AI (Gemini) endpoint, for trying the
// AI features by hand beside `npm start` (README, "Try Gemini without Google Cloud").
import { parseArgs } from 'node:util';
import { startFakeVertex } from '../test/support/fakes/vertex.js';

const { values } = parseArgs({ options: { port: { type: 'string', default: '8098' } } });
const vertex = await startFakeVertex(Number(values.port));
console.log(`Fake Vertex AI at ${vertex.url}: answers generateContent with plausible JSON, and logs each call.`);
console.log(`Start Reckon beside it with: RECKON_AI_FAKE_URL=${vertex.url} npm start`);
const seen = { n: 0 };
setInterval(() => {
  for (; seen.n < vertex.calls.length; seen.n++) {
    const c = vertex.calls[seen.n]!;
    console.log(`call ${seen.n + 1}: ${c.model} in ${c.location}, ${c.raw.length} bytes`);
  }
}, 1000);
