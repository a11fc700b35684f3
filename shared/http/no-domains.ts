// functions-framework runs each HTTP request inside a Node `domain` (deprecated) so that an
// uncaught error answers 500. The first domain.create() enables a process-wide async hook that
// tracks the destruction of every promise from then on, domain or not: a promise then costs about
// twelve times as much (measured: 300,000 awaits 19 ms → 226 ms), on every request. Reckon's
// router answers every error itself, so the framework gets domains that only run the request.
// This module must load before the framework's first request, which it does: every function
// imports it through the router when functions-framework loads the function (docs/decisions.md).
import domain from 'node:domain';
import { EventEmitter } from 'node:events';

class PassThroughDomain extends EventEmitter {
  readonly members: unknown[] = [];
  run<T>(fn: (...args: unknown[]) => T, ...args: unknown[]): T { return fn(...args); }
  bind<F>(fn: F): F { return fn; }
  intercept<F>(fn: F): F { return fn; }
  enter(): void {}
  exit(): void {}
  add(): void {}
  remove(): void {}
}

(domain as { create: () => unknown }).create = () => new PassThroughDomain();
