/**
 * The one IPC message the service sends when it runs as a child with an IPC channel (the local
 * stack, local/service-process.ts): the port it actually bound. With PORT=0 the kernel picks the
 * port at bind time, so the parent learns it from the child itself instead of probing a port first
 * and hoping nobody takes it before the child binds it. The container has no IPC channel and
 * sends nothing.
 */
export interface ListeningMessage {
  readonly type: "service-listening";
  readonly port: number;
}

export function listeningMessage(port: number): ListeningMessage {
  return { type: "service-listening", port };
}

export function isListeningMessage(value: unknown): value is ListeningMessage {
  if (typeof value !== "object" || value === null) return false;
  const { type, port } = value as Record<string, unknown>;
  return type === "service-listening" && typeof port === "number" && Number.isInteger(port) && port > 0 && port <= 65535;
}
