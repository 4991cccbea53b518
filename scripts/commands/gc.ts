// `tessera gc`: deletes the blobs in the data directory that nothing refers to any more and that
// are older than the grace period (orphans of crashed uploads, failed thumbnails), and says what
// it freed. Safe beside a running server on the same data: uploads in flight are younger than the
// grace period.
import { resolve } from 'node:path';
import { runBlobGc } from '../../server/main.ts';
import { parseFlags, type Command } from '../command.ts';
import { plural } from '../../shared/plural.ts';

const usage = `usage: tessera gc [--data ./data] [--grace-hours 24] [--dry-run]

Deletes stored blobs that no image, thumbnail, job or other holder refers to.
  --data DIR          the server's data directory (default ./data, or TESSERA_DATA)
  --grace-hours H     keep every blob stored less than H hours ago (default 24, at least 1)
  --dry-run           only report what would be deleted`;

export const command: Command = {
  usage,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, { data: { type: 'string' }, 'grace-hours': { type: 'string' }, 'dry-run': { type: 'boolean' } }, usage);
    if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}"\n${usage}`);
    const hours = values['grace-hours'] === undefined ? 24 : Number(values['grace-hours']);
    if (!Number.isFinite(hours) || hours < 1) throw new Error(`--grace-hours must be a number ≥ 1, not "${values['grace-hours']}"`);
    const dataDir = resolve(values.data ?? process.env.TESSERA_DATA ?? './data');
    const r = await runBlobGc({ dataDir, graceMs: hours * 3600 * 1000, dryRun: values['dry-run'] ?? false });
    const kept = Object.entries(r.kept).map(([k, n]) => `${n} by ${k}`).join(', ');
    console.log(
      `${r.dryRun ? 'would delete' : 'deleted'} ${plural(r.deleted.length, 'blob')} (${r.bytes} bytes) of ${r.scanned}; ` +
        `kept ${r.young} younger than ${hours} h and ${kept || 'none referenced'}`,
    );
  },
};
