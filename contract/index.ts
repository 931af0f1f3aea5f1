export * from "./routes";
export * from "./claims";
export * from "./errors";
export * from "./notes";
