/**
 * The server's connection, with what the stock `createConnection()` does not give:
 *
 * - **Traffic**: how many received messages are still waiting in the connection's queue. The
 *   analysis scheduler waits while messages wait (a newer text may be among them, and requests
 *   go first), so a version that a queued change already supersedes is never analysed.
 * - **Cancelled before it ran**: a `$/cancelRequest` for a request still in the queue is answered
 *   at once with RequestCancelled, and the request never runs.
 * - **Malformed frames**: a body that is not JSON is answered with a JSON-RPC parse error (id
 *   null) and the connection goes on; a frame whose header cannot be read (no or a non-numeric
 *   `Content-Length`, a header line without `:`) leaves the stream out of step, so the server
 *   says why on stderr and exits: closed, never alive but deaf.
 *
 * `--stdio` (the default) and `--node-ipc` are built here; `--socket`/`--pipe` go through the
 * stock connection (with the cancellation strategy, without traffic counts).
 */
import {
  createConnection,
  IPCMessageReader,
  IPCMessageWriter,
  LSPErrorCodes,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  type Connection,
  type ConnectionOptions,
  type Message,
  type MessageReader,
  type MessageWriter,
  type RequestMessage,
  type ResponseMessage,
} from 'vscode-languageserver/node';

export interface Traffic {
  /** received messages (other than cancellations) not yet handed to a handler */
  queued(): number;
}

const CANCEL = '$/cancelRequest';

function methodOf(m: Message): string | undefined {
  const method = (m as { method?: unknown }).method;
  return typeof method === 'string' ? method : undefined;
}

class Counter implements Traffic {
  received = 0;
  handled = 0;
  queued(): number {
    return Math.max(0, this.received - this.handled);
  }
}

/** A reader that counts what it delivers. */
function countingReader(inner: MessageReader, counter: Counter): MessageReader {
  return {
    onError: inner.onError,
    onClose: inner.onClose,
    onPartialMessage: inner.onPartialMessage,
    listen(callback) {
      return inner.listen((m) => {
        if (methodOf(m) !== CANCEL) counter.received++;
        callback(m);
      });
    },
    dispose() {
      inner.dispose();
    },
  };
}

function connectionOptions(counter: Counter): ConnectionOptions {
  return {
    connectionStrategy: {
      cancelUndispatched(message: Message): ResponseMessage | undefined {
        counter.handled++;
        const id = (message as RequestMessage).id;
        return { jsonrpc: '2.0', id, error: { code: LSPErrorCodes.RequestCancelled, message: 'cancelled before it ran' } };
      },
    },
    messageStrategy: {
      handleMessage(message: Message, next: (m: Message) => void): void {
        if (methodOf(message) !== CANCEL) counter.handled++;
        next(message);
      },
    },
  };
}

/** Errors of the reader: a body that is not JSON (framing intact) or a header that cannot be read (framing lost). */
function watchReader(reader: MessageReader, writer: MessageWriter, exit: (code: number) => void): void {
  reader.onError((error) => {
    if (error instanceof SyntaxError) {
      // JSON-RPC 2.0: a message that cannot be parsed is answered with -32700 and id null
      void writer.write({ jsonrpc: '2.0', id: null, error: { code: -32700, message: `Parse error: ${error.message.slice(0, 200)}` } } as ResponseMessage).catch(() => undefined);
      return;
    }
    process.stderr.write(`amq-cluster-lsp: unreadable message frame (${String(error?.message ?? error).slice(0, 300)}); the stream is out of step, closing the connection\n`);
    exit(1);
  });
}

/** Keeps stray console output off stdout, which carries the protocol. */
function consoleToStderr(): void {
  const write = (...args: unknown[]) => process.stderr.write(args.map((a) => (typeof a === 'string' ? a : String(a))).join(' ') + '\n');
  console.log = write;
  console.info = write;
  console.debug = write;
  console.warn = write;
  console.error = write;
}

export function createServerConnection(argv: readonly string[] = process.argv.slice(2)): { connection: Connection; traffic: Traffic } {
  const counter = new Counter();
  const options = connectionOptions(counter);
  const ipc = argv.includes('--node-ipc');
  const stdio = argv.includes('--stdio') || argv.length === 0;
  if (!ipc && !stdio) {
    // --socket / --pipe: the stock transport; no counts (the scheduler's staleness bound still holds)
    return { connection: createConnection(ProposedFeatures.all, options), traffic: { queued: () => 0 } };
  }
  let shutdown = false;
  const exit = (code: number) => {
    // let pending writes (a parse error answer, the shutdown reply) leave first
    setImmediate(() => process.exit(code));
  };
  let reader: MessageReader;
  let writer: MessageWriter;
  if (ipc) {
    reader = new IPCMessageReader(process);
    writer = new IPCMessageWriter(process);
  } else {
    reader = new StreamMessageReader(process.stdin);
    writer = new StreamMessageWriter(process.stdout);
    // as the stock connection does: the client closing stdin ends the server
    process.stdin.on('end', () => exit(shutdown ? 0 : 1));
    process.stdin.on('close', () => exit(shutdown ? 0 : 1));
    consoleToStderr();
  }
  watchReader(reader, writer, exit);
  const connection = createConnection(ProposedFeatures.all, countingReader(reader, counter), writer, options);
  // for the exit code when the client closes the stream (the server registers no shutdown handler of its own)
  connection.onShutdown(() => {
    shutdown = true;
  });
  return { connection, traffic: counter };
}
