/** Gateway responses, answered locally with the same status and body the deployed gateway renders. */
import type { ServerResponse } from "node:http";
import { errorBody, ERROR_CONTENT_TYPE } from "../../contract/errors";
import { gatewayResponseFor, type GatewayResponseType } from "../../contract/gateway-responses";

/** `x-amzn-ErrorType` values API Gateway sends with these responses. */
const errorTypes: Partial<Record<GatewayResponseType, string>> = {
  UNAUTHORIZED: "UnauthorizedException",
  MISSING_AUTHENTICATION_TOKEN: "MissingAuthenticationTokenException",
  THROTTLED: "TooManyRequestsException",
  INTEGRATION_FAILURE: "InternalServerErrorException",
  INTEGRATION_TIMEOUT: "InternalServerErrorException",
};

/** API Gateway's `$context.error.message` for the integration cases. */
export const integrationMessages = {
  failure: "Internal server error",
  timeout: "Endpoint request timed out",
} as const;

export function sendGatewayResponse(res: ServerResponse, type: GatewayResponseType, message: string, requestId: string): number {
  const spec = gatewayResponseFor(type);
  const status = spec.statusCode ?? (type === "DEFAULT_5XX" ? 500 : 400);
  const body = JSON.stringify(errorBody(spec.code, message));
  const headers: Record<string, string> = {
    "content-type": ERROR_CONTENT_TYPE,
    "content-length": String(Buffer.byteLength(body)),
    "x-amzn-requestid": requestId,
  };
  const errorType = errorTypes[type];
  if (errorType) headers["x-amzn-errortype"] = errorType;
  res.writeHead(status, headers);
  res.end(body);
  return status;
}
