// REST calls to the engine's Mind API with the participant token as Bearer. A failed call rejects
// with "HTTP response status code: N" (the official SDK's wording).

export async function rest(baseURL, token, method, path = "", body = undefined) {
  const headers = { Authorization: `Bearer ${token}` };
  const init = { method, headers };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await globalThis.fetch(baseURL + path, init);
  if (!response.ok) {
    const error = new Error(`HTTP response status code: ${response.status}`);
    error.status = response.status;
    throw error;
  }
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}
