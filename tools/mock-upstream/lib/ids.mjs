// Provider-shaped random identifiers. Drawn from a refilled random pool so that
// id generation costs no syscall per request (this server is a benchmark baseline).
import { randomFillSync } from 'node:crypto';

const kAlnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const kHex = '0123456789abcdef';
const pool = Buffer.allocUnsafe(16384);
let cursor = pool.length;

function randomString(alphabet, length) {
  if (cursor + length > pool.length) {
    randomFillSync(pool);
    cursor = 0;
  }
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[pool[cursor + i] % alphabet.length];
  cursor += length;
  return out;
}

export const chatCompletionId = () => 'chatcmpl-' + randomString(kAlnum, 29);
export const toolCallId = () => 'call_' + randomString(kAlnum, 24);
export const responseId = () => 'resp_' + randomString(kHex, 48);
export const responseMessageId = () => 'msg_' + randomString(kHex, 48);
export const functionCallItemId = () => 'fc_' + randomString(kHex, 48);
export const openaiRequestId = () => 'req_' + randomString(kHex, 32);
export const anthropicMessageId = () => 'msg_01' + randomString(kAlnum, 22);
export const toolUseId = () => 'toolu_01' + randomString(kAlnum, 22);
export const anthropicRequestId = () => 'req_011C' + randomString(kAlnum, 20);

export const nowSeconds = () => Math.floor(Date.now() / 1000);
