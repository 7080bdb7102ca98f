import { EventEmitter } from 'eventemitter3';
import type { JobEventMap, JobEventName } from './job-events';

/** A listener of one job event. */
export type JobEventListener<K extends JobEventName> = (data: JobEventMap[K]) => void;
type EventTypes = { [K in JobEventName]: JobEventListener<K> };

/** Typed job events whose listeners are called in isolation: a throwing listener never stops a schedule. */
export class JobEventEmitter {
  private readonly emitter = new EventEmitter<EventTypes>();

  /** Subscribes to a job event. */
  on<K extends JobEventName>(event: K, listener: JobEventListener<K>): this {
    this.emitter.on(event, listener as never);
    return this;
  }

  /** Removes a listener, or every listener of the event when none is given. */
  off<K extends JobEventName>(event: K, listener?: JobEventListener<K>): this {
    this.emitter.off(event, listener as never);
    return this;
  }

  /** Calls each listener; errors thrown by listeners are swallowed so the observed job goes on. */
  readonly emit = <K extends JobEventName>(name: K, data: JobEventMap[K]): void => {
    if (this.emitter.listenerCount(name) === 0) return;
    for (const listener of this.emitter.listeners(name) as JobEventListener<K>[]) {
      try {
        listener(data);
      } catch {
        // A listener's failure must not stop the schedule it observes.
      }
    }
  };
}
