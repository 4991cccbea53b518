// A process that journals groups and is then killed (update-journal.test.ts): opens the database
// at argv[2] with its update journal, never moved into the table (flushMs is an hour), appends
// argv[3] groups of two updates each, prints `journaled <n>` and waits to be SIGKILLed.
import { openDb } from '../open.ts';
import { openUpdateJournal } from '../update-journal.ts';
import { sqliteUpdateStore } from '../update-store.ts';

const [file, groups] = [process.argv[2], Number(process.argv[3])];
const db = openDb({ file });
openUpdateJournal(db, `${file}-updates`, { flushMs: 3_600_000 });
const store = sqliteUpdateStore(db);
for (let g = 0; g < groups; g++) {
  await store.appendMany([
    { docName: 'ann:crash', update: new Uint8Array([g, 1]), userId: `u${g}` },
    { docName: 'cmt:crash', update: new Uint8Array([g, 2]), userId: null },
  ]);
}
console.log(`journaled ${groups}`);
setInterval(() => {}, 1000);
