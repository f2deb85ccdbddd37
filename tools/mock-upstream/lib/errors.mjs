// Error bodies in each provider's own format.

const kOpenAi = {
  400: ['invalid_request_error', null, 'The request could not be processed.'],
  401: ['invalid_request_error', 'invalid_api_key', 'The API key was missing or not accepted.'],
  403: ['permission_error', null, 'The key is not allowed to use this resource.'],
  404: ['invalid_request_error', 'model_not_found', 'The requested model does not exist.'],
  408: ['timeout', null, 'The request timed out.'],
  413: ['invalid_request_error', 'request_too_large', 'The request is too large.'],
  429: ['requests', 'rate_limit_exceeded', 'Rate limit reached; retry later.'],
  500: ['server_error', null, 'The mock failed while processing the request.'],
  502: ['server_error', null, 'Bad gateway.'],
  503: ['server_error', null, 'The service is temporarily overloaded.'],
  504: ['timeout', null, 'The upstream timed out.'],
};

export function openaiErrorBody(status, message) {
  const [type, code, text] = kOpenAi[status] ?? (status >= 500 ? ['server_error', null, 'Server error.'] : ['invalid_request_error', null, 'Request failed.']);
  return { error: { message: message ?? text, type, param: null, code } };
}

const kAnthropic = {
  400: ['invalid_request_error', 'The request could not be processed.'],
  401: ['authentication_error', 'invalid x-api-key'],
  402: ['billing_error', 'Billing problem with this account.'],
  403: ['permission_error', 'The key is not allowed to use this resource.'],
  404: ['not_found_error', 'The requested resource was not found.'],
  413: ['request_too_large', 'The request is too large.'],
  429: ['rate_limit_error', 'Rate limit reached; retry later.'],
  500: ['api_error', 'Internal server error.'],
  503: ['overloaded_error', 'Overloaded'],
  504: ['timeout_error', 'The request timed out.'],
  529: ['overloaded_error', 'Overloaded'],
};

export function anthropicErrorBody(status, message, requestId) {
  const [type, text] = kAnthropic[status] ?? (status >= 500 ? ['api_error', 'Server error.'] : ['invalid_request_error', 'Request failed.']);
  const body = { type: 'error', error: { type, message: message ?? text } };
  if (requestId) body.request_id = requestId;
  return body;
}

// In-stream errors (the `error_after` fault), already framed as SSE.
export const kOpenAiStreamError =
  'data: ' + JSON.stringify(openaiErrorBody(500, 'The mock failed in the middle of the stream.')) + '\n\n';
export const kAnthropicStreamError =
  'event: error\ndata: ' + JSON.stringify(anthropicErrorBody(529, 'Overloaded')) + '\n\n';
export function responsesStreamError(sequenceNumber) {
  const data = { type: 'error', code: 'server_error', message: 'The mock failed in the middle of the stream.', param: null, sequence_number: sequenceNumber };
  return 'event: error\ndata: ' + JSON.stringify(data) + '\n\n';
}
