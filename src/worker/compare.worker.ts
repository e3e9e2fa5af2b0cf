/// <reference lib="webworker" />
// The Web Worker of the compare view: compareHost.ts holds the logic; this file wires `self`.
import { createCompareHost } from './compareHost';
import type { CompareCommand, CompareMsg } from './compareProtocol';

declare const self: DedicatedWorkerGlobalScope;

const host = createCompareHost((msg: CompareMsg, transfer: ArrayBuffer[] = []) => self.postMessage(msg, transfer));

self.onmessage = (ev: MessageEvent<CompareCommand>) => host.receive(ev.data);
