// A session agent that does nothing, as fast as it can: the bench's yardstick for the harness's own cost.
// Speaks the JSON-lines protocol (README, "Session agent protocol"): prints {"type":"ready"}, answers every
// op `ok` at once, and exits 0 when stdin closes.
//   NOOP_STDERR_BYTES  also write this many bytes to stderr (respecting backpressure) while answering ops,
//                      to show that an agent's output costs the harness no memory. Default 0.
// Plain JavaScript with no imports beyond node:, so it starts as fast as Node can.
const floodBytes = Number(process.env.NOOP_STDERR_BYTES ?? 0);
if (!Number.isSafeInteger(floodBytes) || floodBytes < 0) {
  process.stderr.write(
    `noop-session-agent: NOOP_STDERR_BYTES must be a non-negative integer, got ${process.env.NOOP_STDERR_BYTES}\n`,
  );
  process.exit(2);
}

async function flood(total) {
  const chunk = Buffer.alloc(64 * 1024, 'n');
  for (let sent = 0; sent < total; sent += chunk.length) {
    const piece = sent + chunk.length <= total ? chunk : chunk.subarray(0, total - sent);
    if (!process.stderr.write(piece)) await new Promise((resolve) => process.stderr.once('drain', resolve));
    // Pipes to stderr may be synchronous (Linux): yield between chunks so ops are answered meanwhile.
    else await new Promise((resolve) => setImmediate(resolve));
  }
}
const flooded = flood(floodBytes);

process.stdout.write('{"type":"ready"}\n');

// Answer each complete line as it arrives. The id is read without JSON.parse of the whole line where it can
// be (ops are `{"type":"op","id":N,...}`), which keeps the agent's cost well below the harness's.
let pending = '';
let answers = '';
process.stdin.on('data', (chunk) => {
  pending += chunk.toString('utf8');
  let nl = pending.indexOf('\n');
  while (nl !== -1) {
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    if (line.trim() !== '') answers += `{"type":"ok","id":${opId(line)},"value":null}\n`;
    nl = pending.indexOf('\n');
  }
  if (answers !== '') {
    process.stdout.write(answers);
    answers = '';
  }
});
// Closing stdin means: finish and exit 0. Nothing else keeps the process alive once the flood is written,
// so it exits by itself with every answer flushed (no process.exit, which could cut a pipe write short).
process.stdin.on('end', () => {
  flooded.catch((error) => {
    process.stderr.write(`noop-session-agent: ${error.stack ?? error}\n`);
    process.exitCode = 1;
  });
});

function opId(line) {
  const match = /^\{"type":"op","id":(\d+)[,}]/.exec(line);
  if (match) return match[1];
  const op = JSON.parse(line);
  if (op.type !== 'op' || !Number.isSafeInteger(op.id)) throw new Error(`not an op line: ${line.slice(0, 200)}`);
  return String(op.id);
}
