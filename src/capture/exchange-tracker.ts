/**
 * One exchange while it is in flight: observes the forwarder, keeps timings and body recorders,
 * and turns into exactly one `ExchangeRecord` — when it settles, or as `incomplete` at shutdown.
 */
import type { ExchangeRecord, Instant, RecordedRequest, RecordedResponse, Source, Timings, TransportError } from '../model/exchange.js';
import { BodyRecorder } from './capture-file/body-recorder.js';
import type { BodyTap, ExchangeObserver, ResponseHead } from './proxy/forwarder.js';
import type { IncomingExchange } from './proxy/listener.js';

export interface TrackerContext {
  now(): Instant;
  /** Builds a recorder for a body with these headers. */
  bodyRecorder(headers: Array<[string, string]>): BodyRecorder;
  /** Counts body bytes for `Recorder.bytesSeen()`. */
  countBytes(n: number): void;
  /** Called once, synchronously, when the exchange settles; `record` resolves once bodies are finished. */
  settled(tracker: ExchangeTracker, record: Promise<ExchangeRecord>): void;
}

type Ending =
  | { state: 'completed' }
  | { state: 'failed' | 'aborted'; error: TransportError }
  | { state: 'incomplete' };

export class ExchangeTracker implements ExchangeObserver {
  readonly requestBody: BodyTap;
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
    this.requestBody = this.counted(this.requestRecorder);
  }

  requestEnded(): void {
    this.timings.requestEnd = this.ctx.now();
  }

  responseStarted(head: ResponseHead): BodyTap {
    this.timings.responseStart = this.ctx.now();
    const body = this.ctx.bodyRecorder(head.headers);
    this.response = { head, body };
    return this.counted(body);
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

  private counted(recorder: BodyRecorder): BodyTap {
    return {
      write: (chunk) => {
        this.ctx.countBytes(chunk.length);
        return recorder.write(chunk);
      },
      onceDrained: (fn) => recorder.onceDrained(fn),
    };
  }

  private settle(ending: Ending): void {
    if (this.done) return;
    this.done = true;
    this.ctx.settled(this, this.build(ending));
  }

  private async build(ending: Ending): Promise<ExchangeRecord> {
    const request: RecordedRequest = {
      method: this.incoming.method,
      url: this.incoming.url,
      httpVersion: this.incoming.httpVersion,
      headers: this.incoming.headers,
      body: await this.requestRecorder.finish(),
    };
    const response: RecordedResponse | null = this.response
      ? { ...this.response.head, body: await this.response.body.finish() }
      : null;
    const { seq, source, timings } = this;
    const head = { type: 'exchange' as const, seq };
    switch (ending.state) {
      case 'completed':
        if (!response) throw new Error(`exchange ${seq} completed without a response`);
        return { ...head, state: 'completed', source, request, response, timings };
      case 'failed':
      case 'aborted':
        return { ...head, state: ending.state, source, request, response, error: ending.error, timings };
      case 'incomplete':
        return { ...head, state: 'incomplete', source, request, response, timings };
    }
  }
}
