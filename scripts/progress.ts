// Progress on stderr: one line redrawn in place on a terminal, a line every few seconds otherwise.
export interface Progress {
  tick(done: number, note?: string): void;
  done(message?: string): void;
}

export function progress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true;
  const started = performance.now();
  let lastPrint = 0;
  const line = (done: number, note = '') => {
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    const width = 24;
    const filled = total > 0 ? Math.round((done / total) * width) : width;
    const bar = tty ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` : '';
    const secs = (performance.now() - started) / 1000;
    return `${label} ${bar}${done}/${total} (${pct}%) ${secs.toFixed(1)} s${note ? ` ${note}` : ''}`;
  };
  return {
    tick(done, note) {
      const now = performance.now();
      if (tty) {
        if (now - lastPrint < 50 && done < total) return;
        stream.write(`\r${line(done, note)}\x1b[K`);
      } else if (now - lastPrint > 2000 || done === total) {
        stream.write(`${line(done, note)}\n`);
      } else return;
      lastPrint = now;
    },
    done(message) {
      if (tty) stream.write('\n');
      if (message) stream.write(`${message}\n`);
    },
  };
}
