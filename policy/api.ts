/**
 * API Gateway (REST) invariants 1–3 (docs/architecture.md#infrastructure-invariants): every route is behind the Cognito
 * authorizer with Authorization declared, and reaches the backend only as an HTTP_PROXY over the
 * VPC link with Authorization mapped through. OPTIONS methods with MOCK integrations (CORS
 * preflight, answered by API Gateway itself) are the only exception.
 */
import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

export const AUTHORIZATION_HEADER = "method.request.header.Authorization";
export const INTEGRATION_AUTHORIZATION_HEADER = "integration.request.header.Authorization";

/** A CORS preflight answered by API Gateway: OPTIONS with a MOCK integration. */
const isPreflight = (httpMethod: string | undefined, type?: string) => httpMethod === "OPTIONS" && (type === undefined || type === "MOCK");

export const methodCognitoAuthorizer: ResourceValidationPolicy = {
  name: "apigateway-method-cognito-authorizer",
  description:
    "Every REST API method except OPTIONS has authorization COGNITO_USER_POOLS with an authorizerId and no authorizationScopes (so only id tokens pass).",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.apigateway.Method, (method, args, reportViolation) => {
    if (isPreflight(method.httpMethod)) return;
    if (method.authorization !== "COGNITO_USER_POOLS" || !method.authorizerId) {
      reportViolation(
        `Method '${args.name}' (${method.httpMethod}) is not behind the Cognito authorizer ` +
          `(authorization: ${JSON.stringify(method.authorization)}, authorizerId: ${JSON.stringify(method.authorizerId)}): ` +
          `set authorization: "COGNITO_USER_POOLS" and authorizerId to the user pool authorizer's id.`,
      );
    }
    if ((method.authorizationScopes ?? []).length > 0) {
      reportViolation(
        `Method '${args.name}' (${method.httpMethod}) sets authorizationScopes ${JSON.stringify(method.authorizationScopes)}, ` +
          `which makes the authorizer accept access tokens instead of id tokens: remove authorizationScopes.`,
      );
    }
  }),
};

export const methodDeclaresAuthorization: ResourceValidationPolicy = {
  name: "apigateway-method-declares-authorization",
  description: `Every REST API method except OPTIONS declares the Authorization header as required (requestParameters["${AUTHORIZATION_HEADER}"] = true).`,
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.apigateway.Method, (method, args, reportViolation) => {
    if (isPreflight(method.httpMethod)) return;
    if (method.requestParameters?.[AUTHORIZATION_HEADER] !== true) {
      reportViolation(
        `Method '${args.name}' (${method.httpMethod}) does not declare the Authorization header: ` + `set requestParameters["${AUTHORIZATION_HEADER}"]: true.`,
      );
    }
  }),
};

export const integrationPrivateProxy: ResourceValidationPolicy = {
  name: "apigateway-integration-private-proxy",
  description:
    "Every REST API integration except the OPTIONS MOCKs is type HTTP_PROXY with connectionType VPC_LINK and a connectionId (the private backend, never a public URL).",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.apigateway.Integration, (integration, args, reportViolation) => {
    if (isPreflight(integration.httpMethod, integration.type)) return;
    if (integration.type !== "HTTP_PROXY" || integration.connectionType !== "VPC_LINK" || !integration.connectionId) {
      reportViolation(
        `Integration '${args.name}' (${integration.httpMethod}) is not a private HTTP proxy ` +
          `(type: ${JSON.stringify(integration.type)}, connectionType: ${JSON.stringify(integration.connectionType)}, ` +
          `connectionId: ${JSON.stringify(integration.connectionId)}): set type: "HTTP_PROXY", connectionType: "VPC_LINK" ` +
          `and connectionId to the VPC link's id.`,
      );
    }
  }),
};

export const integrationForwardsAuthorization: ResourceValidationPolicy = {
  name: "apigateway-integration-forwards-authorization",
  description:
    `Every REST API integration except the OPTIONS MOCKs maps requestParameters["${INTEGRATION_AUTHORIZATION_HEADER}"] = "${AUTHORIZATION_HEADER}" ` +
    "(otherwise API Gateway may pass it on as x-amzn-Remapped-Authorization).",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.apigateway.Integration, (integration, args, reportViolation) => {
    if (isPreflight(integration.httpMethod, integration.type)) return;
    const mapped = integration.requestParameters?.[INTEGRATION_AUTHORIZATION_HEADER];
    if (mapped !== AUTHORIZATION_HEADER) {
      reportViolation(
        `Integration '${args.name}' (${integration.httpMethod}) does not map the Authorization header to the backend ` +
          `(${INTEGRATION_AUTHORIZATION_HEADER}: ${JSON.stringify(mapped)}): ` +
          `set requestParameters["${INTEGRATION_AUTHORIZATION_HEADER}"]: "${AUTHORIZATION_HEADER}".`,
      );
    }
  }),
};

export const authorizerCognito: ResourceValidationPolicy = {
  name: "apigateway-authorizer-cognito",
  description: `Every REST API authorizer is type COGNITO_USER_POOLS with at least one user pool in providerArns, reading the token from identitySource "${AUTHORIZATION_HEADER}" (the provider's default when unset).`,
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.apigateway.Authorizer, (authorizer, args, reportViolation) => {
    if (authorizer.type !== "COGNITO_USER_POOLS" || (authorizer.providerArns ?? []).length === 0) {
      reportViolation(
        `Authorizer '${args.name}' is not a Cognito user pool authorizer (type: ${JSON.stringify(authorizer.type ?? "TOKEN")}): ` +
          `set type: "COGNITO_USER_POOLS" and providerArns to the user pool's ARN.`,
      );
    }
    if (authorizer.identitySource !== undefined && authorizer.identitySource !== AUTHORIZATION_HEADER) {
      reportViolation(
        `Authorizer '${args.name}' reads the token from ${JSON.stringify(authorizer.identitySource)}: ` + `set identitySource: "${AUTHORIZATION_HEADER}".`,
      );
    }
  }),
};

export const apiPolicies: ResourceValidationPolicy[] = [
  methodCognitoAuthorizer,
  methodDeclaresAuthorization,
  integrationPrivateProxy,
  integrationForwardsAuthorization,
  authorizerCognito,
];
