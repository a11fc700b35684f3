// The gRPC face of the emulator: binds google.firestore.v1.Firestore to an Engine.
import * as grpc from '@grpc/grpc-js';
import { loadFirestoreProto } from './proto.js';
import { Engine, asRpcError } from './engine.js';
import { ListenSession, type ListenRequest } from './listen.js';

type Unary = (req: any) => object;
type Streaming = (req: any, emit: (r: object) => void) => void;

function toServiceError(e: unknown): Partial<grpc.ServiceError> {
  const err = asRpcError(e);
  if (err.code === grpc.status.INTERNAL) console.error('[firestore-emulator] internal error', e);
  return { code: err.code, details: err.message, message: err.message };
}

function unary(engine: Engine, method: string, fn: Unary): grpc.handleUnaryCall<any, any> {
  return (call, callback) => {
    engine.count(method);
    try {
      callback(null, fn(call.request));
    } catch (e) {
      callback(toServiceError(e) as grpc.ServiceError);
    }
  };
}

function serverStream(engine: Engine, method: string, fn: Streaming): grpc.handleServerStreamingCall<any, any> {
  return (call) => {
    engine.count(method);
    try {
      // Collect first: a failure part-way must not leave half a result on the stream.
      const out: object[] = [];
      fn(call.request, (r) => out.push(r));
      for (const r of out) call.write(r);
      call.end();
    } catch (e) {
      call.emit('error', toServiceError(e));
    }
  };
}

function listen(engine: Engine): grpc.handleBidiStreamingCall<any, any> {
  return (call) => {
    engine.count('Listen');
    const session = new ListenSession(engine, (msg) => { if (!call.writableEnded) call.write(msg); });
    call.on('data', (req: ListenRequest) => {
      try { session.handle(req); } catch (e) { session.close(); call.emit('error', toServiceError(e)); }
    });
    const done = () => session.close();
    call.on('end', () => { done(); call.end(); });
    call.on('cancelled', done);
    call.on('error', done);
  };
}

const unimplemented = (name: string) => (_call: unknown, callback?: (e: object) => void) => {
  const e = { code: grpc.status.UNIMPLEMENTED, details: `${name} is not implemented by Reckon's Firestore emulator` };
  if (callback) callback(e);
  else (_call as grpc.ServerWritableStream<unknown, unknown>).emit('error', e);
};

/** A grpc-js Server with the Firestore service bound to `engine`. */
export function createGrpcServer(engine: Engine): grpc.Server {
  const server = new grpc.Server({
    'grpc.max_receive_message_length': 64 * 1024 * 1024,
    'grpc.max_send_message_length': 64 * 1024 * 1024,
  });
  const service = loadFirestoreProto()['google.firestore.v1.Firestore'] as grpc.ServiceDefinition;
  server.addService(service, {
    GetDocument: unary(engine, 'GetDocument', (r) => engine.getDocument(r)),
    ListDocuments: unary(engine, 'ListDocuments', (r) => engine.listDocuments(r)),
    CreateDocument: unary(engine, 'CreateDocument', (r) => engine.createDocument(r)),
    UpdateDocument: unary(engine, 'UpdateDocument', (r) => engine.updateDocument(r)),
    DeleteDocument: unary(engine, 'DeleteDocument', (r) => engine.deleteDocument(r)),
    BeginTransaction: unary(engine, 'BeginTransaction', (r) => engine.beginTransaction(r)),
    Commit: unary(engine, 'Commit', (r) => engine.commit(r)),
    Rollback: unary(engine, 'Rollback', (r) => engine.rollback(r)),
    ListCollectionIds: unary(engine, 'ListCollectionIds', (r) => engine.listCollectionIds(r)),
    BatchWrite: unary(engine, 'BatchWrite', (r) => engine.batchWrite(r)),
    BatchGetDocuments: serverStream(engine, 'BatchGetDocuments', (r, emit) => engine.batchGetDocuments(r, emit)),
    RunQuery: serverStream(engine, 'RunQuery', (r, emit) => engine.runQuery(r, emit)),
    RunAggregationQuery: serverStream(engine, 'RunAggregationQuery', (r, emit) => engine.runAggregationQuery(r, emit)),
    Listen: listen(engine),
    PartitionQuery: unimplemented('PartitionQuery'),
    Write: unimplemented('Write'),
    ExecutePipeline: unimplemented('ExecutePipeline'),
  });
  return server;
}
