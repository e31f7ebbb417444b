import type { SimReply } from '../server';

/** agentAccount/* answer 200 with `resultCode` '0' (success) or '1' and a message. */
export const agentOk = (resultMessage: string, extra?: Record<string, unknown>): SimReply => ({
  status: 200,
  body: { resultCode: '0', resultMessage, ...extra },
});
export const agentFail = (resultMessage: string): SimReply => ({ status: 200, body: { resultCode: '1', resultMessage } });
/** skill/* answer 200 with `returnCode` '0' or '1' and a description. */
export const skillOk = (extra?: Record<string, unknown>): SimReply => ({
  status: 200,
  body: { returnCode: '0', description: 'success', ...extra },
});
export const skillFail = (description: string): SimReply => ({ status: 200, body: { returnCode: '1', description } });
/** The API gateway's own errors (auth, throttling, unknown API): a real HTTP status. */
export const gwError = (status: number, code: string, msg: string): SimReply => ({
  status,
  body: { error_code: code, error_msg: msg },
});
