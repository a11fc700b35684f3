// The Firestore methods the emulator answers, bound to an Engine once for both of its faces
// (gRPC in server.ts, REST in rest.ts): a unary method returns its response, a server-streaming
// one emits each response.
import type { Engine } from './engine.js';

type Request = any; // decoded by the proto loader
export interface EngineMethod {
  unary?: (req: Request) => object;
  stream?: (req: Request, emit: (r: object) => void) => void;
}

export function engineMethods(engine: Engine): Record<string, EngineMethod> {
  return {
    GetDocument: { unary: (r) => engine.getDocument(r) },
    ListDocuments: { unary: (r) => engine.listDocuments(r) },
    CreateDocument: { unary: (r) => engine.createDocument(r) },
    UpdateDocument: { unary: (r) => engine.updateDocument(r) },
    DeleteDocument: { unary: (r) => engine.deleteDocument(r) },
    BeginTransaction: { unary: (r) => engine.beginTransaction(r) },
    Commit: { unary: (r) => engine.commit(r) },
    Rollback: { unary: (r) => engine.rollback(r) },
    ListCollectionIds: { unary: (r) => engine.listCollectionIds(r) },
    BatchWrite: { unary: (r) => engine.batchWrite(r) },
    BatchGetDocuments: { stream: (r, emit) => engine.batchGetDocuments(r, emit) },
    RunQuery: { stream: (r, emit) => engine.runQuery(r, emit) },
    RunAggregationQuery: { stream: (r, emit) => engine.runAggregationQuery(r, emit) },
  };
}
