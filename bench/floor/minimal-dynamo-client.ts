/**
 * The floor of a DynamoDB call from Node: what any client must do and nothing more — node:http
 * keep-alive, SigV4 by hand with node:crypto (signing key cached per day), the JSON protocol. No
 * retries, timeouts or credential refresh: this is the bench's reference, never production code.
 */
import { createHash, createHmac } from "node:crypto";
import { Agent, request } from "node:http";

export class MinimalDynamoClient {
  private readonly url: URL;
  private readonly host: string;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 50 });
  private signingKey: { day: string; key: Buffer } | undefined;

  constructor(
    endpoint: string,
    private readonly region: string,
    private readonly accessKeyId: string,
    private readonly secretAccessKey: string,
  ) {
    this.url = new URL(endpoint);
    this.host = this.url.host;
  }

  call(operation: string, input: unknown): Promise<Record<string, unknown>> {
    const body = JSON.stringify(input);
    const target = `DynamoDB_20120810.${operation}`;
    const amzDate = new Date().toISOString().replace(/[:-]|\.\d{3}/g, "");
    const day = amzDate.slice(0, 8);
    const scope = `${day}/${this.region}/dynamodb/aws4_request`;
    const signedHeaders = "content-type;host;x-amz-date;x-amz-target";
    const canonical = `POST\n/\n\ncontent-type:application/x-amz-json-1.0\nhost:${this.host}\nx-amz-date:${amzDate}\nx-amz-target:${target}\n\n${signedHeaders}\n${sha256(body)}`;
    const signature = createHmac("sha256", this.keyFor(day))
      .update(`AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256(canonical)}`)
      .digest("hex");
    const headers = {
      "content-type": "application/x-amz-json-1.0",
      "x-amz-date": amzDate,
      "x-amz-target": target,
      "content-length": Buffer.byteLength(body),
      authorization: `AWS4-HMAC-SHA256 Credential=${this.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    };
    return new Promise((resolve, reject) => {
      const req = request({ hostname: this.url.hostname, port: this.url.port, method: "POST", path: "/", headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          if (res.statusCode === 200) resolve(JSON.parse(text) as Record<string, unknown>);
          else reject(new Error(`DynamoDB ${res.statusCode}: ${text}`));
        });
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  private keyFor(day: string): Buffer {
    if (this.signingKey?.day !== day) {
      const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();
      this.signingKey = { day, key: hmac(hmac(hmac(hmac(`AWS4${this.secretAccessKey}`, day), this.region), "dynamodb"), "aws4_request") };
    }
    return this.signingKey.key;
  }
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
