import { readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";

export interface HttpCall {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** One HTTP exchange; rejects only when no answer arrived (connection refused, timeout, oversized answer). */
export type HttpClient = (call: HttpCall) => Promise<HttpAnswer>;

export interface HttpClientOptions {
  timeoutMs: number;
  maxAnswerBytes: number;
  /** PEM certificates to trust for https URLs (Saasport's own self-signed certificate with --tls). */
  trustedCertificates: () => string | undefined;
}

/**
 * The demo app talks to Saasport like any outside client, over real HTTP. Node's http modules are
 * used rather than fetch so that Saasport's self-signed certificate can be trusted when it runs with TLS.
 */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  return (call) =>
    new Promise((resolve, reject) => {
      const url = new URL(call.url);
      const secure = url.protocol === "https:";
      const send = secure ? httpsRequest : httpRequest;
      const ca = secure ? options.trustedCertificates() : undefined;
      const request = send(
        url,
        { method: call.method, headers: call.headers, timeout: options.timeoutMs, ...(ca ? { ca } : {}) },
        (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > options.maxAnswerBytes) {
              request.destroy(
                new Error(`the answer from ${url.origin} is larger than ${options.maxAnswerBytes} bytes`),
              );
              return;
            }
            chunks.push(chunk);
          });
          response.on("end", () => {
            const headers: Record<string, string> = {};
            for (const [name, value] of Object.entries(response.headers)) {
              if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
            }
            resolve({
              status: response.statusCode ?? 0,
              headers,
              text: Buffer.concat(chunks).toString("utf8"),
            });
          });
          response.on("error", reject);
        },
      );
      request.on("timeout", () => request.destroy(new Error(`no answer from ${url.origin} in time`)));
      request.on("error", reject);
      request.end(call.body);
    });
}

/** Saasport's TLS certificate in the data directory, when it has one. */
export function saasportCertificate(dataDir: string): () => string | undefined {
  let cached: string | undefined;
  return () => {
    if (cached === undefined) {
      try {
        cached = readFileSync(join(dataDir, "tls", "cert.pem"), "utf8");
      } catch {
        return undefined;
      }
    }
    return cached;
  };
}
