import { ConId, type Endpoint, type ErrorCode, NetError } from '@net/core';
import type { WireValue } from '../recipes/recipe.js';

/** A connection id as it crosses threads; `key` is its text form, unique per connection. */
export interface WireConId {
  readonly key: string;
  readonly role: 'initiator' | 'acceptor';
  readonly name: string;
  readonly local: Endpoint | undefined;
  readonly peer: Endpoint | undefined;
}

/** An error as it crosses threads. */
export interface WireError {
  readonly code: string | undefined;
  readonly message: string;
  /** What the error wraps, so a scenario can check the cause a flavour kept. */
  readonly cause?: WireError;
}

/** How deep a cause chain crosses threads (deeper links are dropped; a chain may loop). */
const WIRE_CAUSE_DEPTH = 4;

/** Client or service options as they cross to the host: recipes instead of objects. */
export interface WireOptions {
  readonly codec: WireValue;
  readonly protocol?: WireValue;
  readonly name?: string;
  readonly handshakeTimeout?: number;
  readonly timeout?: number;
  readonly retryAfter?: number;
  readonly maxConnections?: number;
  readonly maxBatchBytes?: number;
  readonly writeStallTimeout?: number;
  readonly idleTimeout?: number;
  /** The callbacks object's owner number and the events it listens to, forwarded home. */
  readonly callbacks?: { readonly owner: number; readonly events: readonly string[] };
}

/** What the suite's thread asks of the host. Every command but `credit` is answered by a `reply`. */
export type HostCommand =
  | { readonly op: 'connect'; readonly id: number; readonly address: WireValue; readonly options: WireOptions }
  | { readonly op: 'bind'; readonly id: number; readonly address: string; readonly options: WireOptions }
  | { readonly op: 'send'; readonly id: number; readonly handle: number; readonly message: unknown }
  | { readonly op: 'offer'; readonly id: number; readonly handle: number; readonly message: unknown }
  | { readonly op: 'close'; readonly id: number; readonly handle: number }
  | {
      readonly op: 'accept' | 'acceptIntoPool';
      readonly id: number;
      readonly handle: number;
      readonly timeoutMs: number | undefined;
    }
  | { readonly op: 'svcSend'; readonly id: number; readonly handle: number; readonly message: unknown }
  | {
      readonly op: 'sendTo';
      readonly id: number;
      readonly handle: number;
      readonly conId: string;
      readonly message: unknown;
    }
  | { readonly op: 'broadcast'; readonly id: number; readonly handle: number; readonly message: unknown }
  | { readonly op: 'svcState'; readonly id: number; readonly handle: number };

/** What the host tells the suite's thread, in order. */
export type HostEvent =
  | { readonly kind: 'reply'; readonly id: number; readonly value?: unknown; readonly error?: WireError }
  | { readonly kind: 'message'; readonly handle: number; readonly message: unknown }
  | { readonly kind: 'decodeError'; readonly handle: number; readonly error: WireError }
  | { readonly kind: 'end'; readonly handle: number; readonly reason: WireError | undefined }
  | { readonly kind: 'pooled'; readonly handle: number; readonly conId: WireConId; readonly message: unknown }
  | { readonly kind: 'poolError'; readonly handle: number; readonly error: WireError }
  | { readonly kind: 'connected'; readonly handle: number; readonly connected: boolean }
  | {
      readonly kind: 'callback';
      readonly owner: number;
      readonly event: string;
      readonly conId: WireConId;
      readonly value?: unknown;
      readonly reason?: WireError;
    }
  | { readonly kind: 'report'; readonly id: number; readonly args: unknown[] }
  | { readonly kind: 'hostError'; readonly error: WireError; readonly stack: string | undefined };

/** The wire form of a connection id. */
export function wireConId(conId: ConId): WireConId {
  return { key: String(conId), role: conId.role, name: conId.name, local: conId.local, peer: conId.peer };
}

const conIds = new Map<string, ConId>();

/** A connection id rebuilt from its wire form; the same key gives the same object. */
export function conIdFromWire(wire: WireConId): ConId {
  let conId = conIds.get(wire.key);
  if (conId === undefined) {
    conId = new ConId(wire.role, wire.name, wire.local, wire.peer);
    conIds.set(wire.key, conId);
  }
  return conId;
}

/** The wire form of an error. */
export function wireError(error: unknown, depth = 0): WireError {
  const code = error instanceof NetError ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  const inner = error instanceof Error && depth < WIRE_CAUSE_DEPTH ? error.cause : undefined;
  return inner === undefined ? { code, message } : { code, message, cause: wireError(inner, depth + 1) };
}

/** An error rebuilt from its wire form: a `NetError` with the same code, or a plain `Error`. */
export function errorFromWire(wire: WireError): Error {
  const options = wire.cause === undefined ? undefined : { cause: errorFromWire(wire.cause) };
  return wire.code === undefined
    ? new Error(wire.message, options)
    : new NetError(wire.code as ErrorCode, wire.message, options);
}

/** A message ready to cross: a borrowed byte view is copied (it is only valid until the next receive). */
export function detach(message: unknown): unknown {
  // `new Uint8Array(view)` copies; `slice()` would not on a Buffer.
  return message instanceof Uint8Array ? new Uint8Array(message) : message;
}
