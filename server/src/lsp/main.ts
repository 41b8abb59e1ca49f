/** `amq-cluster-lsp --stdio | --node-ipc | --socket=N`: the language server process. */
import { startServer } from './server';
import { createServerConnection } from './transport';

const { connection, traffic } = createServerConnection();
startServer(connection, traffic);
