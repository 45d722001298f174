/**
 * The contract calls a page makes on its sockets, read off the wire: what it asked, and the engine's answer
 * once it comes. Specs that check what the page stops on the engine (`query.cancel`) read them.
 */
import type { Page } from '@playwright/test';

export interface Call {
  id: number;
  channel: string;
  input: Record<string, unknown>;
  answer?: { ok: boolean; value?: unknown; error?: { code: string } };
}

/** Every contract call the page makes on its sockets, with the engine's answer once it comes. */
export function recordCalls(page: Page): Call[] {
  const calls: Call[] = [];
  page.on('websocket', (socket) => {
    const mine: Call[] = [];
    socket.on('framesent', ({ payload }) => {
      const message = JSON.parse(String(payload)) as Partial<Call>;
      if (typeof message.id !== 'number' || !message.channel) return;
      const call = { id: message.id, channel: message.channel, input: message.input ?? {} };
      mine.push(call);
      calls.push(call);
    });
    socket.on('framereceived', ({ payload }) => {
      const message = JSON.parse(String(payload)) as { id?: number } & Call['answer'];
      const call = mine.find((c) => c.id === message.id);
      if (call && message) call.answer = message;
    });
  });
  return calls;
}

/** The call that cancelled `queryId`. */
export function cancelOf(calls: Call[], queryId: unknown): Call | undefined {
  return calls.find((c) => c.channel === 'query.cancel' && c.input.queryId === queryId);
}
