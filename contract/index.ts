export * from "./routes";
export * from "./claims";
export * from "./errors";
export * from "./notes";
export * from "./gateway-responses";
export * from "./service-env";
export * from "./authorization";
export * from "./cors";
