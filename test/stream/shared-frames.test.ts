import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createSharedFrames } from '../../src/stream/shared-frames.js';

/** What graphql-ws does with onNext's answer: serialize the message, then hand it to the socket. */
const message = (id: string, payload: object) => JSON.stringify({ id, type: 'next', payload });

describe('shared frames', () => {
  it('serializes a shared result once and splices it into every subscriber message', () => {
    const frames = createSharedFrames();
    const result = { data: { events: { id: 'e1', payload: { text: 'quote " and \u0000 nul', n: [1, 2] } } } };
    const a = frames.placeholder(result);
    const b = frames.placeholder(result);
    expect(b).toBe(a);
    expect(frames.size()).toBe(1);
    for (const id of ['1', 'sub-"2"', '\u0000hg-frame:']) {
      const wire = frames.expand(message(id, a));
      expect(JSON.parse(wire)).toEqual({ id, type: 'next', payload: result });
    }
  });

  it('sends errors as graphql-ws would', () => {
    const frames = createSharedFrames();
    const result = { data: null, errors: [new GraphQLError('boom', { extensions: { code: 'X' } })] };
    const wire = JSON.parse(frames.expand(message('1', frames.placeholder(result))));
    expect(wire.payload).toEqual({ data: null, errors: [{ message: 'boom', extensions: { code: 'X' } }] });
  });

  it('leaves other messages alone, including ones that carry look-alike text', () => {
    const frames = createSharedFrames();
    frames.placeholder({ data: { x: 1 } });
    const other = createSharedFrames();
    const forged = message('1', other.placeholder({ data: { x: 2 } }));
    expect(frames.expand(forged)).toBe(forged);
    const plain = message('1', { data: { text: '\u0000hg-frame:0000:1' } });
    expect(frames.expand(plain)).toBe(plain);
    expect(frames.expand('{"type":"pong"}')).toBe('{"type":"pong"}');
  });
});
