// Downloads GET /api/usage/export with the current filters. The endpoint needs the bearer
// header, so it is fetched (refreshing the session once on a 401, like the API client) and
// handed to the browser as a Blob URL.
import { ApiError, buildUrl, refreshSession } from '../../api/client';
import { loadSession } from '../../api/session';
import { exportFileName, type Query } from '../../lib/usage';

export async function downloadUsageExport(format: 'csv' | 'ndjson', query: Query): Promise<string> {
  const url = buildUrl('/api/usage/export', { ...query, format });
  const send = () => fetch(url, { headers: { authorization: `Bearer ${loadSession()?.token ?? ''}` } });
  let res = await send();
  if (res.status === 401 && (await refreshSession())) res = await send();
  if (!res.ok) {
    let code = `http_${res.status}`;
    let message = `export failed with status ${res.status}`;
    try {
      const body = (await res.json()) as { error?: string; message?: string };
      code = body.error ?? code;
      message = body.message ?? message;
    } catch {
      /* not JSON */
    }
    throw new ApiError(res.status, code, message);
  }
  const blob = await res.blob();
  const name = exportFileName(res.headers.get('content-disposition'), format);
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return name;
}
