// The pull's progress line on stderr: files, bytes, rate and time left; redrawn in place on a
// terminal, a line every two seconds otherwise.
export interface Meter {
  bytes(n: number): void;
  file(): void;
  done(): void;
}

const mb = (n: number) => (n / 1e6).toFixed(n < 1e7 ? 2 : 1);

export function meter(totalFiles: number, totalBytes: number, stream: NodeJS.WriteStream = process.stderr): Meter {
  const tty = stream.isTTY === true;
  const started = performance.now();
  let files = 0;
  let bytes = 0;
  let last = 0;
  const line = () => {
    const secs = Math.max(0.001, (performance.now() - started) / 1000);
    const rate = bytes / secs;
    const left = rate > 0 ? (totalBytes - bytes) / rate : 0;
    const pct = totalBytes > 0 ? Math.floor((bytes / totalBytes) * 100) : 100;
    return `pulling ${files}/${totalFiles} files, ${mb(bytes)}/${mb(totalBytes)} MB (${pct}%), ${mb(rate)} MB/s, ${left.toFixed(0)} s left`;
  };
  const draw = (force = false) => {
    const now = performance.now();
    if (!force && now - last < (tty ? 100 : 2000)) return;
    last = now;
    stream.write(tty ? `\r${line()}\x1b[K` : `${line()}\n`);
  };
  return {
    bytes(n) {
      bytes += n;
      draw();
    },
    file() {
      files++;
      draw(files === totalFiles);
    },
    done() {
      if (tty) stream.write('\n');
    },
  };
}
