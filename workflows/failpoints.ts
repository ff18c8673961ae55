/**
 * Failpoints in workflow code (see temporal/failpoints.ts). A workflow cannot stop its process itself; it
 * reports the point through this sink, and the worker stops when it runs the activation's sink calls —
 * after the workflow code ran, before the activation's outcome reaches the server, which is exactly "the
 * worker died while deciding". Never during replay, so a recovering worker passes the point.
 */
import { proxySinks, type Sinks } from '@temporalio/workflow';
import type { FailpointName } from '../temporal/failpoints.js';

export interface FailpointSinks extends Sinks {
  failpoints: { reached(name: FailpointName): void };
}

export const { failpoints } = proxySinks<FailpointSinks>();
