import { ascii, bytesRest, ErrorCode, type InferMessage, NetError, struct, structCodec, union } from '@net/core';

// SoupBinTCP 4.0 on the wire: a u16 big-endian packet length (the bytes after the length field),
// a one-character packet type, then the payload. That is the struct codec's default framing, so
// the layouts below only describe the type byte and what follows it.

// Session and sequence number fields are written padded on the left, as the spec says of Login
// Accepted's. For Login Request's it says only that a blank session asks for the current one, and
// clients in use pad it on the right, so every reader goes through parseSession and parseSequence,
// which trim both ends: the layouts below only drop the padding on the left.

/** A session name: 10 ASCII characters, padded with spaces on the left. */
const Session = ascii(10, { align: 'right' });
/** A sequence number: up to 20 ASCII digits, padded with spaces on the left. */
const Sequence = ascii(20, { align: 'right' });

/** Packets a client sends, keyed by their one-character type. */
export const ClientPacketLayout = union('type', ascii(1), {
  /** Debug: free text, ignored by the receiver. */
  '+': struct({ text: bytesRest() }),
  /** Login Request. `session` blank asks for the current session; `sequence` 0 asks for no replay. */
  L: struct({ username: ascii(6), password: ascii(10), session: Session, sequence: Sequence }),
  /** Unsequenced Data from the client. */
  U: struct({ message: bytesRest() }),
  /** Client Heartbeat. */
  R: struct({}),
  /** Logout Request. */
  O: struct({}),
});

/** Packets a server sends, keyed by their one-character type. */
export const ServerPacketLayout = union('type', ascii(1), {
  /** Debug: free text, ignored by the receiver. */
  '+': struct({ text: bytesRest() }),
  /** Login Accepted: the session and the number of the next sequenced message the client gets. */
  A: struct({ session: Session, sequence: Sequence }),
  /** Login Rejected, with a {@link RejectReason}. */
  J: struct({ reason: ascii(1) }),
  /** Sequenced Data: its number is implicit, one more than the one before it. */
  S: struct({ message: bytesRest() }),
  /** Unsequenced Data from the server. */
  U: struct({ message: bytesRest() }),
  /** Server Heartbeat. */
  H: struct({}),
  /** End of Session: the server has no more data for this session and closes the connection. */
  Z: struct({}),
});

/** A packet from client to server. */
export type ClientPacket = InferMessage<typeof ClientPacketLayout>;
/** A packet from server to client. */
export type ServerPacket = InferMessage<typeof ServerPacketLayout>;

/** The codec a client uses: it sends {@link ClientPacket}s and receives {@link ServerPacket}s. */
export const clientCodec = structCodec({ send: ClientPacketLayout, recv: ServerPacketLayout });
/** The codec a server uses: the client's, the other way round. */
export const serverCodec = clientCodec.reverse();

/** Why a Login Request was refused, as the one character a Login Rejected packet carries. */
export const RejectReason = {
  /** The username and password are not authorized. */
  NotAuthorized: 'A',
  /** The requested session is not (or no longer) available. */
  SessionNotAvailable: 'S',
} as const;

/** One of the {@link RejectReason} characters. */
export type RejectReason = (typeof RejectReason)[keyof typeof RejectReason];

/** The longest payload one packet can carry: the length field counts the type byte too. */
export const MAX_PAYLOAD_LENGTH = 0xffff - 1;

/** Longest text field values, as the spec fixes them. */
export const FIELD_LENGTH = { username: 6, password: 10, session: 10, sequence: 20 } as const;

const DIGITS = /^[0-9]{1,20}$/;

/**
 * Reads a session field, padded on either side: a peer may write `'TODAY     '` as well as
 * `'     TODAY'`, and a blank field (the current session) reads as `''`.
 */
export function parseSession(field: string): string {
  return field.trim();
}

/**
 * Reads a sequence number field, padded on either side. A blank field counts as 0 (the spec pads
 * with spaces, and a blank requested sequence number asks for nothing to be replayed).
 * @throws NetError `NET_ERR_PROTOCOL` for anything but digits, or a number past 2^53 - 1
 */
export function parseSequence(field: string): number {
  const text = field.trim();
  if (text === '') return 0;
  if (!DIGITS.test(text))
    throw new NetError(ErrorCode.PROTOCOL, `sequence number '${field}' is not numeric`, { details: { field } });
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new NetError(
      ErrorCode.PROTOCOL,
      `sequence number ${text} is past the largest this example keeps (2^53 - 1)`,
      { details: { field } },
    );
  }
  return value;
}

/**
 * Writes a sequence number field's value (the codec adds the padding).
 * @throws NetError `NET_ERR_INVALID_ARGUMENT` for a negative or fractional number
 */
export function formatSequence(sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 0) {
    throw new NetError(
      ErrorCode.INVALID_ARGUMENT,
      `a sequence number must be a whole number from 0, got ${String(sequence)}`,
    );
  }
  return String(sequence);
}

/**
 * Checks that `value` fits a text field of the spec: printable ASCII and at most `length`
 * characters, so that a bad user name fails at configuration time rather than at the first send.
 * @throws NetError `NET_ERR_INVALID_ARGUMENT`
 */
export function checkTextField(name: keyof typeof FIELD_LENGTH, value: string): string {
  const length = FIELD_LENGTH[name];
  if (typeof value !== 'string' || value.length > length || !/^[\x21-\x7e]*$/.test(value)) {
    throw new NetError(
      ErrorCode.INVALID_ARGUMENT,
      `${name} must be at most ${length} printable ASCII characters without spaces, got '${String(value)}'`,
      {
        details: { field: name, length },
      },
    );
  }
  return value;
}

/**
 * Checks a payload for a data packet.
 * @throws NetError `NET_ERR_INVALID_ARGUMENT` when it is not bytes or too long for one packet
 */
export function checkPayload(payload: Uint8Array): Uint8Array {
  if (!(payload instanceof Uint8Array))
    throw new NetError(ErrorCode.INVALID_ARGUMENT, 'a payload must be a Uint8Array');
  if (payload.length > MAX_PAYLOAD_LENGTH) {
    throw new NetError(
      ErrorCode.INVALID_ARGUMENT,
      `a payload holds at most ${MAX_PAYLOAD_LENGTH} bytes, got ${payload.length}`,
      {
        details: { length: payload.length, max: MAX_PAYLOAD_LENGTH },
      },
    );
  }
  return payload;
}
