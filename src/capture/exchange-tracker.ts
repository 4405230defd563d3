/**
 * One exchange while it is in flight: observes the forwarder, keeps timings and body recorders,
 * and turns into exactly one `ExchangeRecord` — when it settles, or as `incomplete` at shutdown.
 */
import type { Body, ExchangeRecord, Instant, RecordedRequest, RecordedResponse, Source, Timings, TransportError } from '../model/exchange.js';
import { BodyRecorder } from './capture-file/body-recorder.js';
import type { BodySide } from './proxy/body-memory.js';
import type { BodyTap, ExchangeObserver, ResponseHead } from './proxy/forwarder.js';
import type { IncomingExchange } from './proxy/listener.js';
import type { InFlightLinks } from './in-flight.js';

export interface TrackerContext {
  now(): Instant;
  /** Builds a recorder for a body with these headers. */
  bodyRecorder(headers: Array<[string, string]>): BodyRecorder;
  /** Counts body bytes for `Recorder.bytesSeen()` and the relayed-memory collections (which weigh the sides). */
  countBytes(n: number, side: BodySide): void;
  /**
   * Called once, synchronously, when the exchange settles: with the record, or with a promise of it
   * while a body's decoder finishes (rejected when the record cannot be made).
   */
  settled(tracker: ExchangeTracker, record: ExchangeRecord | Promise<ExchangeRecord>): void;
}

type Ending =
  | { state: 'completed' }
  | { state: 'failed' | 'aborted'; error: TransportError }
  | { state: 'incomplete' };

export class ExchangeTracker implements ExchangeObserver, InFlightLinks<ExchangeTracker> {
  readonly requestBody: BodyTap;
  previousInFlight: ExchangeTracker | null = null;
  nextInFlight: ExchangeTracker | null = null;
  private readonly requestRecorder: BodyRecorder;
  private response: { head: ResponseHead; body: BodyRecorder } | null = null;
  private readonly timings: Timings;
  private done = false;

  constructor(
    readonly seq: number,
    private readonly source: Source,
    private readonly incoming: IncomingExchange,
    private readonly ctx: TrackerContext,
  ) {
    this.timings = { requestStart: ctx.now(), requestEnd: null, responseStart: null, responseEnd: null };
    this.requestRecorder = ctx.bodyRecorder(incoming.headers);
    this.requestBody = this.counted(this.requestRecorder, 'request');
  }

  requestEnded(): void {
    this.timings.requestEnd = this.ctx.now();
  }

  responseStarted(head: ResponseHead): BodyTap {
    this.timings.responseStart = this.ctx.now();
    const body = this.ctx.bodyRecorder(head.headers);
    this.response = { head, body };
    return this.counted(body, 'response');
  }

  responseEnded(): void {
    this.timings.responseEnd = this.ctx.now();
  }

  completed(): void {
    this.settle({ state: 'completed' });
  }

  failed(error: TransportError): void {
    this.settle({ state: 'failed', error });
  }

  aborted(error: TransportError): void {
    this.settle({ state: 'aborted', error });
  }

  /** Settles the exchange as still in flight (recording is stopping); later events are ignored. */
  interrupt(): void {
    this.settle({ state: 'incomplete' });
  }

  private counted(recorder: BodyRecorder, side: BodySide): BodyTap {
    return new CountedTap(recorder, this.ctx, side);
  }

  private settle(ending: Ending): void {
    if (this.done) return;
    this.done = true;
    let record: ExchangeRecord | Promise<ExchangeRecord>;
    try {
      record = this.build(ending);
    } catch (err) {
      record = Promise.reject(err as Error);
    }
    this.ctx.settled(this, record);
  }

  /** The record, at once when both bodies are finished (no decoder still running), else when they are. */
  private build(ending: Ending): ExchangeRecord | Promise<ExchangeRecord> {
    const requestBody = this.requestRecorder.finish();
    const responseBody = this.response ? this.response.body.finish() : null;
    if (requestBody instanceof Promise || responseBody instanceof Promise) {
      return Promise.all([requestBody, responseBody]).then(([req, resp]) => this.assemble(ending, req, resp));
    }
    return this.assemble(ending, requestBody, responseBody);
  }

  /**
   * Plain literals, fields in the capture's order, no object spread: a spread followed by more
   * fields took V8's slow path, and with it the record's JSON.stringify (issue 13, 32 clients).
   */
  private assemble(ending: Ending, requestBody: Body, responseBody: Body | null): ExchangeRecord {
    const { incoming } = this;
    const request: RecordedRequest = {
      method: incoming.method,
      url: incoming.url,
      httpVersion: incoming.httpVersion,
      headers: incoming.headers,
      body: requestBody,
    };
    const head = this.response?.head;
    const response: RecordedResponse | null =
      head && responseBody
        ? { statusCode: head.statusCode, statusMessage: head.statusMessage, httpVersion: head.httpVersion, headers: head.headers, body: responseBody }
        : null;
    const { seq, source, timings } = this;
    switch (ending.state) {
      case 'completed':
        if (!response) throw new Error(`exchange ${seq} completed without a response`);
        return { type: 'exchange', seq, state: 'completed', source, request, response, timings };
      case 'failed':
      case 'aborted':
        return { type: 'exchange', seq, state: ending.state, source, request, response, error: ending.error, timings };
      case 'incomplete':
        return { type: 'exchange', seq, state: 'incomplete', source, request, response, timings };
    }
  }
}

/** A body's tap: counts the bytes for the recorder's total, then records them. */
class CountedTap implements BodyTap {
  constructor(
    private readonly recorder: BodyRecorder,
    private readonly ctx: TrackerContext,
    private readonly side: BodySide,
  ) {}

  write(chunk: Buffer): boolean {
    this.ctx.countBytes(chunk.length, this.side);
    return this.recorder.write(chunk);
  }

  onceDrained(fn: () => void): void {
    this.recorder.onceDrained(fn);
  }
}
