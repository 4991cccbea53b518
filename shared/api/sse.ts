// Reads a server-sent events body (the project event stream) into `{event, data}` records, data
// parsed as JSON; comment lines (keep-alives) and events without data are skipped. For Node
// clients (the CLI, tests); browsers use EventSource. A consumer that stops early (break, return,
// a throw) cancels the body, which closes the request: an open event stream would otherwise keep
// a Node process alive (`tessera run --watch` did not exit after the final status).
export interface SseMessage {
  event: string;
  data: unknown;
}

export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const reader = body.pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>).getReader();
  let buf = '';
  let ended = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return void (ended = true);
      buf += value.replaceAll('\r\n', '\n');
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        let event = 'message';
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        }
        if (data.length) yield { event, data: JSON.parse(data.join('\n')) };
      }
    }
  } finally {
    if (!ended) await reader.cancel().catch(() => {});
    reader.releaseLock();
  }
}
