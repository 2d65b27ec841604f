// One fetch helper for the tests that talk to a node's HTTP API.

export interface JsonResponse {
  status: number;
  /** The parsed body; undefined when it is not JSON. */
  json: any;
  text: string;
  headers: Headers;
}

export async function fetchJson(url: string, init?: RequestInit): Promise<JsonResponse> {
  const res = await fetch(url, init);
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, json, text, headers: res.headers };
}
