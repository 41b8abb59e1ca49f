/** `amq-cluster-lsp --stdio | --node-ipc | --socket=N`: the language server process. */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all));
