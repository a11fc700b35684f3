// The gRPC face of the emulator: binds google.firestore.v1.Firestore to an Engine.
import * as grpc from '@grpc/grpc-js';
import { loadFirestoreProto } from './proto.js';
import { Engine, asRpcError } from './engine.js';
import { ListenSession, type ListenRequest } from './listen.js';
import { engineMethods, type EngineMethod } from './methods.js';

type Unary = NonNullable<EngineMethod['unary']>;
type Streaming = NonNullable<EngineMethod['stream']>;

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
  const methods = engineMethods(engine);
  const handlers: grpc.UntypedServiceImplementation = {
    Listen: listen(engine),
    PartitionQuery: unimplemented('PartitionQuery'),
    Write: unimplemented('Write'),
    ExecutePipeline: unimplemented('ExecutePipeline'),
  };
  for (const [name, m] of Object.entries(methods)) {
    handlers[name] = m.stream ? serverStream(engine, name, m.stream) : unary(engine, name, m.unary!);
  }
  server.addService(service, handlers);
  return server;
}
